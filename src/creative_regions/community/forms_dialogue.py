"""Forms and filter bars of the pages of communities, interactions and follow-ups.

The forms check only the shape of the input; the rules (regions a partner may
write in, who may own a follow-up, who is already a member) are the services',
and the views put the services' messages next to the fields they name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, QuerySet, Value, When
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creative_regions.community.filters import InteractionFilterSet
from creative_regions.community.models import (
    ATTACHMENT_EXTENSIONS,
    Community,
    CommunityMembership,
    FollowUp,
    Interaction,
    Organisation,
    Person,
    Sector,
)
from creative_regions.community.selectors import sector_choices
from creative_regions.community.selectors_dialogue import (
    agency_staff_list,
    follow_up_owner_list,
)
from creative_regions.community.services import ATTACHMENT_MAX_BYTES
from creative_regions.core.models import User
from creative_regions.geo.models import Region
from creative_regions.geo.selectors import region_list


class DateInput(forms.DateInput):
    """The browser's date picker: the value travels as an ISO date whatever the
    locale, and the browser shows it the way the user writes dates."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BootstrapFormMixin:
    """Bootstrap classes on every widget, and ``is-invalid`` on a field as soon
    as an error is added to it, whether by the form or by a service."""

    fields: dict[str, forms.Field]

    def style_fields(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        names = [field] if field else []
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            names = list(error.error_dict)
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "")
                if "is-invalid" not in classes:
                    widget.attrs["class"] = f"{classes} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


def add_service_errors(
    form: forms.BaseForm,
    error: ValidationError,
    fields: dict[str, str] | None = None,
) -> None:
    """Puts a service's ``ValidationError`` on the form: each message next to the
    field it names (``fields`` renames a service's field to the form's), the
    rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    renamed = fields or {}
    for key, texts in error.message_dict.items():
        name = renamed.get(key, key)
        form.add_error(name if name in form.fields else None, texts)


class UserChoiceField(forms.ModelChoiceField):
    """A user by full name (their login when they have none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked as a single file would be."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class RecordChoicesMixin:
    """The records a picker field has chosen, for showing them again with the
    form: the valid choices, or on an invalid form those of the submitted ids
    the user may see."""

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool
    initial: dict

    def chosen(self, name: str) -> list:
        field = self.fields[name]
        if self.is_bound:
            key = self.add_prefix(name)  # type: ignore[attr-defined]
            getter = getattr(self.data, "getlist", None)
            raw = getter(key) if getter else self.data.get(key, [])
            values = raw if isinstance(raw, list | tuple) else [raw]
        else:
            value = self.initial.get(name, field.initial)
            if value is None:
                values = []
            elif isinstance(value, Iterable) and not isinstance(value, str):
                values = list(value)
            else:
                values = [value]
        ids = []
        for value in values:
            pk = getattr(value, "pk", value)
            if str(pk).isdigit():
                ids.append(int(pk))
        if not ids:
            return []
        queryset = field.queryset.filter(pk__in=ids)  # type: ignore[attr-defined]
        return list(queryset.select_related("region"))


def _chosen_first(queryset: QuerySet, ids: Iterable[int]) -> QuerySet:
    """``queryset`` with the rows of ``ids`` first, so the chosen ones of a long
    list of checkboxes show without scrolling."""
    ids = [pk for pk in ids if pk is not None]
    if not ids:
        return queryset
    ordering = queryset.query.order_by
    return queryset.alias(
        is_other=Case(When(pk__in=ids, then=Value(0)), default=Value(1))
    ).order_by("is_other", *ordering)


# Filter bars --------------------------------------------------------------------------


class InteractionPageFilterSet(InteractionFilterSet):
    """The interaction list's filters, with date pickers for the dates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.form.fields[name].widget = DateInput(attrs={"class": "form-control"})


class AsOfForm(forms.Form):
    """The day against which follow-ups count as overdue: today, or the day of
    an upcoming meeting."""

    on = forms.DateField(label=_("Overdue as of"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].widget.attrs["class"] = "form-control"

    def day(self, default: date) -> date:
        if self.is_valid() and self.cleaned_data["on"]:
            return self.cleaned_data["on"]
        return default


# Communities --------------------------------------------------------------------------


class CommunityForm(RecordChoicesMixin, BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Not required here: "at least one region" is the service's rule and its
    # message.
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Creative sectors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Community.Status.choices, initial="active"
    )

    def __init__(
        self, *args: Any, user: User, sectors: Iterable[Sector] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = _chosen_first(
            region_list(user=user),
            [getattr(r, "pk", r) for r in self._initial("regions")],
        )
        # A sector the classifications have since dropped stays choosable on
        # the community that has it, labelled so, and saving keeps it.
        choices = dict(sector_choices(sectors))
        chosen = set(self._initial("sectors"))
        self.fields["sectors"].choices = sorted(
            choices.items(), key=lambda choice: (choice[0] not in chosen, choice[1])
        )
        self.fields["coordinator"].queryset = Person.objects.visible_to(user)
        self.style_fields()

    def _initial(self, name: str) -> list:
        return list(self.initial.get(name) or [])


class MembershipAddForm(BootstrapFormMixin, forms.Form):
    """A person or an organisation chosen in the picker ("person:12" or
    "organisation:7"), with the date of joining and the role."""

    member = forms.CharField(
        label=_("Member"), required=False, widget=forms.HiddenInput
    )
    joined_on = forms.DateField(
        label=_("Joined on"),
        required=False,
        widget=DateInput,
        help_text=_("Today if left empty."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (status.value, status.label)
            for status in (
                CommunityMembership.Status.ACTIVE,
                CommunityMembership.Status.CANDIDATE,
            )
        ],
    )
    role = forms.CharField(
        label=_("Role in the community"), max_length=200, required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.member_record: Person | Organisation | None = None
        self.style_fields()

    def clean_member(self) -> Person | Organisation | None:
        value = self.cleaned_data["member"].strip()
        if not value:
            return None
        kind, _separator, pk = value.partition(":")
        model = {"person": Person, "organisation": Organisation}.get(kind)
        record = None
        if model is not None and pk.isdigit():
            record = model.objects.visible_to(self.user).filter(pk=int(pk)).first()
        if record is None:
            raise ValidationError(_("No such person or organisation in your regions."))
        # Kept apart from cleaned_data, which loses it when a service's message
        # is put on the field, so the picker can show the choice again.
        self.member_record = record
        return record


# Interactions and follow-ups ----------------------------------------------------------


class InteractionForm(RecordChoicesMixin, BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("community", "Kind"), choices=Interaction.Kind.choices
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), empty_label="—"
    )
    topic = forms.CharField(label=_("Topic"), max_length=500)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was discussed."),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was agreed; the page of the region's dialogue lists them."),
    )
    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("community", "Organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    staff = UserMultipleChoiceField(
        label=_("Agency staff"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=format_lazy(
            _(
                "Minutes, letters, slides: PDF, office documents, images or ZIP, up "
                "to {size} MB each."
            ),
            size=ATTACHMENT_MAX_BYTES // 2**20,
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_list(user=user)
        self.fields["people"].queryset = Person.objects.visible_to(user)
        self.fields["organisations"].queryset = Organisation.objects.visible_to(user)
        self.fields["staff"].queryset = agency_staff_list()
        self.style_fields()

    def clean_attachments(self) -> list:
        files = self.cleaned_data["attachments"]
        for upload in files:
            suffix = PurePath(upload.name or "").suffix.lower().lstrip(".")
            if suffix not in ATTACHMENT_EXTENSIONS:
                raise ValidationError(
                    _("“%(name)s”: files of this type are not accepted (%(allowed)s)."),
                    code="extension",
                    params={
                        "name": upload.name,
                        "allowed": ", ".join(ATTACHMENT_EXTENSIONS),
                    },
                )
            if upload.size and upload.size > ATTACHMENT_MAX_BYTES:
                raise ValidationError(
                    _("“%(name)s” is larger than %(size)s MB."),
                    code="size",
                    params={"name": upload.name, "size": ATTACHMENT_MAX_BYTES // 2**20},
                )
        return files

    def selected_region(self) -> Region | None:
        """The region the form is about now: the one submitted, else the initial
        one; follow-ups' owners depend on it."""
        field = self.fields["region"]
        value = (
            self.data.get(self.add_prefix("region"))
            if self.is_bound
            else self.initial.get("region")
        )
        pk = getattr(value, "pk", value)
        if pk is None or not str(pk).isdigit():
            return None
        return field.queryset.filter(pk=int(pk)).first()


class FollowUpForm(BootstrapFormMixin, forms.Form):
    """A follow-up in the interaction's form: a new one, or (with ``id``) one
    already recorded, whose status can change too."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("What to do"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = UserChoiceField(
        label=_("Owner"), queryset=User.objects.none(), empty_label="—"
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=FollowUp.Status.choices,
        initial=FollowUp.Status.OPEN,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        region: Region | None = None,
        default_owner: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = follow_up_owner_list(region=region)
        if default_owner is not None:
            self.fields["owner"].initial = default_owner.pk
        # A new follow-up is open: a status to choose would only make an empty
        # extra form look filled in.
        if self.is_recorded:
            self.fields["status"].required = True
        else:
            del self.fields["status"]
        self.style_fields()

    @property
    def is_recorded(self) -> bool:
        value = self["id"].value()
        return bool(value) and str(value).isdigit()


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=1)
FOLLOW_UP_PREFIX = "follow_ups"


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(choices=FollowUp.Status.choices)
