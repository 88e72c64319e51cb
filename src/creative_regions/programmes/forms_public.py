"""Forms of the public pages (registration, feedback) and of the door (check-in).

They check the shape of the input (required, lengths, an e-mail is an e-mail);
the services decide the rest (a person already registered, a closed event, a
phone that is not a phone) and their messages are put next to the field they
name. The API reads the same fields with the same limits (``api/public.py``).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from creative_regions.geo.models import Region
from creative_regions.programmes.models import Event, Session

# The longest value each field takes, as the records store it; the phone is
# longer as typed («+7 (912) 345-67-89») than as stored (E.164).
MAX_LENGTHS = {
    "surname": 150,
    "first_name": 150,
    "patronymic": 150,
    "email": 254,
    "phone": 40,
    "position": 300,
}
FEEDBACK_COMMENT_MAX_LENGTH = 5000

CONSENT_TEXT = _(
    "I consent to the processing of my personal data — surname, first name, "
    "patronymic, e-mail, phone, region, position and organisation — by the agency, "
    "to register me for this event, to inform me about it and to account for it in "
    "the agency's reports, in accordance with Federal Law No. 152-FZ “On Personal "
    "Data”. The data may be recorded, stored, updated and deleted, with or without "
    "automation. The consent is valid until I withdraw it by writing to the agency."
)
CONSENT_REQUIRED = _(
    "Registration needs your consent to the processing of your personal data."
)


def regions_by_name():
    """Every region, by name in the interface's language."""
    name = "name_en" if get_language() == "en" else "name_ru"
    return Region.objects.order_by(name)


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class PublicForm(forms.Form):
    """Bootstrap classes on the widgets; a field with an error is marked invalid
    for the eye and for screen readers."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
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
                described = [f"{self[name].auto_id}_error"]
                if self.fields[name].help_text:
                    described.append(f"{self[name].auto_id}_helptext")
                attrs["aria-describedby"] = " ".join(described)

    def add_service_error(self, error: ValidationError) -> None:
        """Puts a service's refusal next to the field it names; what concerns no
        field of the form goes above it."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            target = name if name in self.fields and name != NON_FIELD_ERRORS else None
            self.add_error(target, messages)


class PublicRegistrationForm(PublicForm):
    surname = forms.CharField(label=_("Surname"), max_length=MAX_LENGTHS["surname"])
    first_name = forms.CharField(
        label=_("First name"), max_length=MAX_LENGTHS["first_name"]
    )
    patronymic = forms.CharField(
        label=_("Patronymic"), max_length=MAX_LENGTHS["patronymic"], required=False
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=MAX_LENGTHS["email"],
        help_text=_("The confirmation, your ticket and the link to cancel come here."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=MAX_LENGTHS["phone"],
        required=False,
        help_text=_("With the area code, e.g. +7 912 345-67-89"),
    )
    region = RegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        empty_label=_("Choose your region"),
        help_text=_("The region you live or work in."),
    )
    position = forms.CharField(
        label=_("Position and organisation"),
        max_length=MAX_LENGTHS["position"],
        required=False,
        help_text=_("E.g. designer, «Studio Sever»"),
    )
    consent = forms.BooleanField(
        label=_(
            "I give my consent to the processing of my personal data on these terms"
        ),
        error_messages={"required": CONSENT_REQUIRED},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_by_name()
        autocomplete = {
            "surname": "family-name",
            "first_name": "given-name",
            "patronymic": "additional-name",
            "email": "email",
            "phone": "tel",
            "position": "organization-title",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value


RATINGS = [(value, str(value)) for value in range(1, 6)]
RECOMMEND = [(value, str(value)) for value in range(0, 11)]


class FeedbackForm(PublicForm):
    rating = forms.TypedChoiceField(
        label=_("How do you rate the event?"),
        help_text=_("1 — poor, 5 — excellent"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    recommend = forms.TypedChoiceField(
        label=_("Would you recommend it to a colleague?"),
        help_text=_("0 — not at all likely, 10 — extremely likely"),
        choices=RECOMMEND,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What was useful, what should change?"),
        max_length=FEEDBACK_COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


def session_label(session: Session) -> str:
    """«7 июля 2023 г., 10:00–11:30 · Винзавод · Visit»."""
    parts = [
        f"{date_format(session.day)}, {time_format(session.starts_at, 'H:i')}"
        f"–{time_format(session.ends_at, 'H:i')}"
    ]
    if session.venue_id:
        parts.append(session.venue.name)
    parts.append(session.topic)
    return " · ".join(parts)


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return session_label(obj)


class CheckInForm(PublicForm):
    """Which session of the itinerary a person is checked in to."""

    session = SessionChoiceField(
        label=pgettext_lazy("itinerary", "Session"),
        queryset=Session.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = event.sessions.select_related(
            "venue"
        ).order_by("day", "starts_at", "pk")


class DoorCheckInForm(CheckInForm):
    """A click in the results of the search at the door."""

    registration = forms.IntegerField(widget=forms.HiddenInput)
