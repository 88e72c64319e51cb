"""The merge of two records: which one stays, and which value of each field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

SIDES = ("a", "b")


def field_value_label(record: models.Model, name: str) -> str:
    """A field's value as a person reads it: the label of a choice, the name of
    a related record, a dash for nothing."""
    model_field = record._meta.get_field(name)
    if getattr(model_field, "choices", None):
        value: Any = getattr(record, f"get_{name}_display")()
    else:
        value = getattr(record, name)
    if value is None or value == "":
        return "—"
    return str(value)


class RecordMergeForm(forms.Form):
    """Chooses the record that stays (``survivor``) and, for each field the two
    records hold differently, the record whose value to keep. A field's default
    is the first record's value, or the other's when the first has none."""

    survivor = forms.ChoiceField(
        label=_("Record that stays"),
        choices=[("a", "a"), ("b", "b")],
        initial="a",
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args,
        first: models.Model,
        second: models.Model,
        fields: tuple[str, ...],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.records = {"a": first, "b": second}
        self.differing: list[str] = []
        for name in fields:
            first_value, second_value = getattr(first, name), getattr(second, name)
            if first_value == second_value or (
                first_value in (None, "") and second_value in (None, "")
            ):
                continue
            self.differing.append(name)
            self.fields[f"keep_{name}"] = forms.ChoiceField(
                label=first._meta.get_field(name).verbose_name,
                choices=[("a", "a"), ("b", "b")],
                initial="b" if first_value in (None, "") else "a",
                widget=forms.RadioSelect,
                # Not chosen: the value of the record that stays.
                required=False,
            )

    @property
    def rows(self) -> list[dict[str, Any]]:
        """For the table: each differing field with both values."""
        return [
            {
                "name": name,
                "field": self[f"keep_{name}"],
                "values": {
                    side: field_value_label(record, name)
                    for side, record in self.records.items()
                },
            }
            for name in self.differing
        ]

    def survivor_and_other(self) -> tuple[models.Model, models.Model]:
        side = self.cleaned_data["survivor"]
        other = "b" if side == "a" else "a"
        return self.records[side], self.records[other]

    def fields_from_other(self) -> list[str]:
        """The fields whose value is taken from the record that goes."""
        side = self.cleaned_data["survivor"]
        return [
            name
            for name in self.differing
            if (self.cleaned_data.get(f"keep_{name}") or side) != side
        ]
