"""Filter fields and the FilterSet base shared by every app's filters.

Every FilterSet filters a queryset that a selector already scoped to the user,
so a filter can narrow what a user sees but never widen it.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

# Ids are bigints: 18 digits always fit, and nothing larger is looked up.
ID = re.compile(r"^[0-9]{1,18}$")
REGION_CODE = re.compile(r"^[0-9]{2}$")


def any_choice(label, choices) -> list[tuple[str, str]]:
    """``choices`` after an empty one meaning "any", listed so the API schema
    says that an empty value is accepted."""
    return [("", label), *choices]


class TextField(forms.CharField):
    """Free text from a query string, with NUL characters dropped: they cannot be
    stored or searched, and refusing the whole request for them helps nobody."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\x00", "") if value else value


class TextFilter(django_filters.CharFilter):
    field_class = TextField


class RegionCodeField(TextField):
    def validate(self, value: str) -> None:
        super().validate(value)
        if value and not REGION_CODE.match(value):
            raise ValidationError(
                _("A region code is two digits, e.g. 16."), code="invalid_region"
            )


# Empty means "any region", as for every filter.
@extend_schema_field({"type": "string", "pattern": "^([0-9]{2})?$"})
class RegionFilter(TextFilter):
    """A region by its two-digit code; a code no region has finds nothing."""

    field_class = RegionCodeField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label", _("Region"))
        kwargs.setdefault("help_text", _("Region code, e.g. 16"))
        super().__init__(*args, **kwargs)

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__code": value})


class IdField(forms.IntegerField):
    """A record's id: digits only (no sign, no spaces), as the schema says."""

    def to_python(self, value):
        if value not in self.empty_values and not ID.match(str(value)):
            raise ValidationError(_("An id is a whole number, e.g. 42."), code="id")
        return super().to_python(value)


@extend_schema_field({"type": "string", "pattern": f"^({ID.pattern[1:-1]})?$"})
class IdFilter(django_filters.NumberFilter):
    """The id of a record. Given the ``model`` of a region-scoped record, an id
    the user may not see selects nothing, exactly as an id that does not exist,
    so a partner cannot learn another region's records by trying ids."""

    field_class = IdField

    def __init__(self, *args, model: type[models.Model] | None = None, **kwargs):
        # Not ``self.model``: the filter set puts its own model there.
        self.record_model = model
        super().__init__(*args, **kwargs)

    def is_hidden_from(self, user, value: int | None) -> bool:
        if value is None or self.record_model is None:
            return False
        visible = self.record_model._default_manager.visible_to(user)
        return not visible.filter(pk=value).exists()


@extend_schema_field(
    {
        "anyOf": [
            {"type": "string", "format": "date"},
            {"type": "string", "maxLength": 0},
        ]
    }
)
class DateFilter(django_filters.DateFilter):
    """A date (YYYY-MM-DD); empty means no bound."""


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the inputs, for the pages; sorting by a ``sort``
    choice that names one of ``SORTS``; ids of hidden records select nothing."""

    SORTS: dict[str, tuple[str, ...]] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.form.fields.values():
            if isinstance(form_field.widget, forms.Select):
                form_field.widget.attrs["class"] = "form-select"
            else:
                form_field.widget.attrs["class"] = "form-control"

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        user = getattr(self.request, "user", None)
        for name, value in self.form.cleaned_data.items():
            id_filter = self.filters[name]
            if isinstance(id_filter, IdFilter) and id_filter.is_hidden_from(
                user, value
            ):
                return queryset.none()
        return super().filter_queryset(queryset)

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*self.SORTS[value], "pk")
