"""Forms of the calendar, events, itineraries, venues and programmes.

They check only the shape of the input (required, length, a date is a date); the
services decide the rest (an event's dates against its sessions, a programme's
format) and their messages are put next to the field they name with
``add_service_error``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import FileExtensionValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creative_regions.community.selectors import (
    organisation_list,
    person_list,
    search_filter,
)
from creative_regions.core.models import User
from creative_regions.geo.selectors import region_list
from creative_regions.programmes.models import (
    PHOTO_EXTENSIONS,
    Event,
    Format,
    Methodology,
    Programme,
    Venue,
)

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# How many records a picker offers at once; typing narrows them.
PICKER_LIMIT = 50


class PageForm(forms.Form):
    """Bootstrap classes on the widgets, and a field with an error marked invalid
    for the eye and for screen readers."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                auto_id = self[name].auto_id
                described = [f"{auto_id}_error"]
                if self.fields[name].help_text:
                    described.append(f"{auto_id}_helptext")
                attrs["aria-describedby"] = " ".join(described)

    def add_service_error(self, error: ValidationError) -> None:
        """Puts a service's refusal next to the inputs it names; what concerns no
        input of this form goes above it."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            target = name if name in self.fields and name != NON_FIELD_ERRORS else None
            self.add_error(target, messages)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _region_field(user: User) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=_("Region"), queryset=region_list(user=user), empty_label="—"
    )
    field.label_from_instance = lambda region: region.name
    return field


def _selected_ids(values: Iterable) -> list[int]:
    ids = []
    for value in values:
        text = str(getattr(value, "pk", value) or "")
        if text.isascii() and text.isdigit() and len(text) < 19:
            ids.append(int(text))
    return ids


def picker_choices(
    queryset: QuerySet, *, selected: Iterable[int], text: str = "", label=str
) -> list[tuple[int, str]]:
    """Options of a picker: the ``selected`` records first, then those matching
    ``text`` (the first ones without it), at most ``PICKER_LIMIT`` of them."""
    selected = list(selected)
    chosen = list(queryset.filter(pk__in=selected)) if selected else []
    found = list(search_filter(queryset.exclude(pk__in=selected), text)[:PICKER_LIMIT])
    return [(record.pk, label(record)) for record in [*chosen, *found]]


def organisation_picker_queryset(user: User) -> QuerySet:
    return (
        organisation_list(user=user)
        .prefetch_related(None)
        .select_related(None)
        .only("pk", "full_name", "short_name")
    )


def person_picker_queryset(user: User) -> QuerySet:
    return (
        person_list(user=user)
        .prefetch_related(None)
        .select_related(None)
        .only("pk", "surname", "first_name", "patronymic")
    )


def _limit_picker(form: forms.Form, name: str, queryset: QuerySet) -> None:
    """Offers the picker ``name`` the chosen records and the first others; the
    field still accepts any record of ``queryset`` (a search finds the rest)."""
    field = form.fields[name]
    if form.is_bound:
        key = form.add_prefix(name)
        raw = (
            form.data.getlist(key)
            if hasattr(form.data, "getlist")
            else form.data.get(key) or []
        )
        values = raw if isinstance(raw, list | tuple) else [raw]
    else:
        initial = form.get_initial_for_field(field, name)
        if initial is None:
            values = []
        elif isinstance(initial, Iterable) and not isinstance(initial, str):
            values = list(initial)
        else:
            values = [initial]
    choices = picker_choices(queryset, selected=_selected_ids(values))
    if not isinstance(field, forms.ModelMultipleChoiceField):
        choices = [("", "—"), *choices]
    field.widget.choices = choices


# Calendar -------------------------------------------------------------------------


class CalendarForm(forms.Form):
    """What part of the calendar to show: a month (YYYY-MM) as a grid, or the
    list of events."""

    VIEWS = (("month", _("Month")), ("list", pgettext_lazy("calendar", "List")))

    view = forms.ChoiceField(label=_("View"), choices=VIEWS, required=False)
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        help_text=_("Year and month, e.g. 2023-07"),
    )

    def clean_month(self) -> date | None:
        text = self.cleaned_data["month"].strip()
        if not text:
            return None
        match = MONTH.match(text)
        if match is None or not 1 <= int(match[2]) <= 12:
            raise ValidationError(
                _("A month is written as year and month, e.g. 2023-07."),
                code="month",
            )
        year = int(match[1])
        if not 1900 <= year <= 2100:
            raise ValidationError(
                _("The calendar covers the years 1900 to 2100."), code="year"
            )
        return date(year, int(match[2]), 1)


# Events ---------------------------------------------------------------------------


class EventForm(PageForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    format = forms.ChoiceField(label=_("Format"), choices=[("", "—"), *Format.choices])
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.order_by("-year", "name"),
        required=False,
        empty_label=_("Not in a programme"),
        help_text=_("The series the event belongs to; it has the same format."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=_date_input())
    ends_on = forms.DateField(label=_("Ends on"), widget=_date_input())
    city = forms.CharField(label=_("City"), max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), choices=Event.Status.choices, initial=Event.Status.PLANNED
    )
    goals = forms.CharField(
        label=_("Goals"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hosts = forms.ModelMultipleChoiceField(
        label=_("Hosts"),
        queryset=None,
        required=False,
        help_text=_(
            "Organisations of the community that host the event. Type to find "
            "others; hold Ctrl (⌘ on a Mac) to choose several."
        ),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=0,
        max_value=100000,
        help_text=_(
            "Confirmed registrations allowed; beyond it, the waitlist. Empty: no limit."
        ),
    )
    registration_open = forms.BooleanField(
        label=_("Open to public registration"), required=False
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(user)
        self.fields["region"].help_text = _("Where the event takes place.")
        self.fields["region"].widget.attrs["class"] = "form-select"
        self.order_fields(
            [
                "title",
                "format",
                "programme",
                "starts_on",
                "ends_on",
                "region",
                "city",
                "status",
            ]
        )
        hosts = organisation_picker_queryset(user)
        self.fields["hosts"].queryset = hosts
        self.fields["hosts"].widget.attrs["size"] = 8
        _limit_picker(self, "hosts", hosts)
        self.fields["programme"].label_from_instance = lambda programme: (
            f"{programme.name} · {programme.get_format_display()}"
        )

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class EventCreateForm(EventForm):
    from_template = forms.BooleanField(
        label=_("Plan from the template"),
        required=False,
        initial=True,
        help_text=_(
            "A study tour starts with visits to three to six of the region's "
            "venues and a debrief; other formats with an opening and a closing "
            "session. Adjust the itinerary afterwards."
        ),
    )


class EventDeleteForm(forms.Form):
    """Nothing to fill in: the button confirms."""


# Itineraries ----------------------------------------------------------------------


class SessionForm(PageForm):
    day = forms.DateField(label=_("Date"), widget=_date_input())
    starts_at = forms.TimeField(label=_("Starts at"), widget=_time_input())
    ends_at = forms.TimeField(label=_("Ends at"), widget=_time_input())
    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.select_related("region").order_by("city", "name"),
        required=False,
        empty_label=_("No venue (on the road, online)"),
    )
    topic = forms.CharField(label=_("Topic"), max_length=300)
    speakers = forms.CharField(label=_("Speakers"), max_length=500, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=0, max_value=100000
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].label_from_instance = lambda venue: (
            f"{venue.name} ({venue.city})"
        )

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


# Venues ---------------------------------------------------------------------------


class VenueForm(PageForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(
        label=pgettext_lazy("venue", "Kind"), choices=[("", "—"), *Venue.Kind.choices]
    )
    city = forms.CharField(label=_("City"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=0,
        max_value=100000,
        help_text=_("How many visitors the space takes at once."),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Managing organisation"),
        queryset=None,
        required=False,
        help_text=_("The space's organisation in the community."),
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Contact people"),
        queryset=None,
        required=False,
        help_text=_(
            "People of the community to call about visits. Type to find others; "
            "hold Ctrl (⌘ on a Mac) to choose several."
        ),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(user)
        self.fields["region"].widget.attrs["class"] = "form-select"
        self.order_fields(["name", "kind", "region", "city", "address"])
        organisations = organisation_picker_queryset(user)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label_from_instance = lambda record: record.name
        _limit_picker(self, "organisation", organisations)
        people = person_picker_queryset(user)
        self.fields["contacts"].queryset = people
        self.fields["contacts"].widget.attrs["size"] = 8
        _limit_picker(self, "contacts", people)

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class VenuePhotoForm(PageForm):
    image = forms.FileField(
        label=_("Photo"),
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS)],
        help_text=_("JPEG, PNG or WebP, up to 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{suffix}" for suffix in PHOTO_EXTENSIONS)}
        ),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


# Programmes -----------------------------------------------------------------------


class ProgrammeForm(PageForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    format = forms.ChoiceField(label=_("Format"), choices=[("", "—"), *Format.choices])
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=2000, max_value=2100
    )
    methodology = forms.ChoiceField(
        label=_("Methodology template"),
        choices=[("", _("None")), *Methodology.choices],
        required=False,
        help_text=_("The agency's methodology the events of the series follow."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)
