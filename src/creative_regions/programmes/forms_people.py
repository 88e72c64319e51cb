"""Forms of the people at events: delegations and their members, registrations
by hand, internship placements and the meetings of outreach visits.

They check only the shape of the input; the services decide the rest (a
partner's regions, places and the waitlist, dates within the event) and their
messages are put next to the fields they name with ``add_service_error``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creative_regions.community.models import Organisation, Person, PersonRole
from creative_regions.community.selectors import person_role_list
from creative_regions.community.selectors_dialogue import follow_up_owner_list
from creative_regions.core.models import User
from creative_regions.geo.models import Region
from creative_regions.geo.selectors import region_list
from creative_regions.programmes.models import Delegation, Event


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as an ISO date."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PageForm(forms.Form):
    """Bootstrap classes on the widgets, and a field with an error marked invalid
    for the eye and for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput):
                continue
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
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
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"

    def add_service_error(
        self, error: ValidationError, renamed: Mapping[str, str] | None = None
    ) -> None:
        """Puts a service's refusal next to the inputs it names (``renamed`` maps
        a service's field to the form's); the rest goes above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            target = (renamed or {}).get(name, name)
            if target == NON_FIELD_ERRORS or target not in self.fields:
                target = None
            self.add_error(target, messages)


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PersonRole) -> str:
        return obj.name


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class DelegationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Delegation) -> str:
        return obj.region.name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class PickedPersonField(forms.ModelChoiceField):
    """A person chosen in a picker, among those the user may see."""

    default_error_messages = {
        "invalid_choice": _("No such person in your regions."),
    }


class PickedPeopleField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("No such person in your regions."),
        "invalid_pk_value": _("No such person in your regions."),
    }


class PickedOrganisationField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("No such organisation in your regions."),
    }


class PickedOrganisationsField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("No such organisation in your regions."),
        "invalid_pk_value": _("No such organisation in your regions."),
    }


def chosen_records(form: forms.Form, name: str) -> list:
    """The records a picker of ``form`` holds, to show them again with the form:
    the submitted ids the user may see, or the initial ones."""
    field = form.fields[name]
    if form.is_bound:
        key = form.add_prefix(name)
        values = form.data.getlist(key) if hasattr(form.data, "getlist") else []
        if not values and key in form.data and not hasattr(form.data, "getlist"):
            values = [form.data[key]]
    else:
        value = form.initial.get(name)
        if value is None:
            values = []
        elif isinstance(value, Iterable) and not isinstance(value, str):
            values = list(value)
        else:
            values = [value]
    ids = []
    for value in values:
        pk = str(getattr(value, "pk", value))
        if pk.isdigit() and len(pk) < 19:
            ids.append(int(pk))
    if not ids:
        return []
    return list(field.queryset.filter(pk__in=ids).select_related("region"))


# Delegations --------------------------------------------------------------------------


class DelegationForm(PageForm):
    region = RegionChoiceField(
        label=_("Sending region"), queryset=Region.objects.none()
    )
    organisation = PickedOrganisationField(
        label=_("Sending organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    head = PickedPersonField(
        label=_("Head of delegation"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    logistics = forms.CharField(
        label=_("Logistics notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Arrival and departure, hotel, transfers, dietary needs."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A partner is offered their own regions; the service holds the rule.
        self.fields["region"].queryset = region_list(user=user)
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user)
        self.fields["head"].queryset = Person.objects.visible_to(user)

    @staticmethod
    def initial_for(delegation: Delegation) -> dict:
        return {
            "region": delegation.region_id,
            "organisation": delegation.organisation_id,
            "head": delegation.head_id,
            "logistics": delegation.logistics,
        }


class NewPersonForm(PageForm):
    """A person not yet in the community, recorded with the form that names
    them (a delegation's member, someone met on a visit)."""

    surname = forms.CharField(label=_("Surname"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    position = forms.CharField(label=_("Position"), max_length=300, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    role = RoleChoiceField(
        label=pgettext_lazy("delegation", "Role"),
        queryset=PersonRole.objects.none(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args: Any, with_role: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_role:
            self.fields["role"].queryset = person_role_list()
        else:
            del self.fields["role"]

    def person_arguments(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in (
                "surname",
                "first_name",
                "patronymic",
                "position",
                "email",
                "phone",
            )
        }


class BaseNewPersonFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[NewPersonForm]:
        """The rows someone typed in; the empty ones are not people."""
        return [form for form in self.forms if form.has_changed()]


NEW_PEOPLE_PREFIX = "new"
NewPersonFormSet = forms.formset_factory(
    NewPersonForm, formset=BaseNewPersonFormSet, extra=1, max_num=100
)


class MembersForm(PageForm):
    """Members picked from the community, each with a role in the delegation
    (sent as ``role-<person id>``)."""

    members = PickedPeopleField(
        label=_("People from the community"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Person.objects.visible_to(user)

    def clean(self) -> dict:
        cleaned = super().clean()
        roles = {role.pk: role for role in person_role_list()}
        chosen: dict[int, PersonRole | None] = {}
        for person in cleaned.get("members") or []:
            value = str(self.data.get(f"role-{person.pk}", "") or "")
            if value and (not value.isdigit() or int(value) not in roles):
                self.add_error("members", _("Choose a role from the list."))
                break
            chosen[person.pk] = roles.get(int(value)) if value else None
        self.roles = chosen
        return cleaned

    def member_roles(self) -> list[tuple[Person, PersonRole | None]]:
        return [
            (person, self.roles.get(person.pk))
            for person in self.cleaned_data.get("members") or []
        ]


# Registrations ------------------------------------------------------------------------


class RegistrationCreateForm(PageForm):
    """A registration by staff: a person from the community, or a new one."""

    person = PickedPersonField(
        label=_("Person from the community"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    surname = forms.CharField(label=_("Surname"), max_length=150, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    position = forms.CharField(label=_("Position"), max_length=300, required=False)
    region = RegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label="—",
    )
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    delegation = DelegationChoiceField(
        label=_("Delegation"),
        queryset=Delegation.objects.none(),
        required=False,
        empty_label=_("No delegation"),
    )
    role = RoleChoiceField(
        label=pgettext_lazy("delegation", "Role"),
        queryset=PersonRole.objects.none(),
        required=False,
        empty_label="—",
    )

    NEW_PERSON_FIELDS = ("surname", "first_name", "region")

    def __init__(
        self, *args: Any, user: User, delegations: QuerySet[Delegation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user)
        self.fields["region"].queryset = region_list(user=user)
        self.fields["delegation"].queryset = delegations
        self.fields["role"].queryset = person_role_list()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("person") is None and "person" not in self.errors:
            typed = [
                name
                for name in ("surname", "first_name", "patronymic", "email", "phone")
                if cleaned.get(name)
            ]
            if not typed:
                raise ValidationError(
                    _("Choose a person from the community or describe a new one.")
                )
            for name in self.NEW_PERSON_FIELDS:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for a new person."))
        return cleaned

    def new_person_arguments(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in (
                "surname",
                "first_name",
                "patronymic",
                "position",
                "region",
                "email",
                "phone",
            )
        }


# Internship placements ----------------------------------------------------------------


class PlacementForm(PageForm):
    participant = PickedPersonField(
        label=_("Participant"), queryset=Person.objects.none(), widget=forms.HiddenInput
    )
    host = PickedOrganisationField(
        label=_("Host organisation"),
        queryset=Organisation.objects.none(),
        widget=forms.HiddenInput,
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    goals = forms.CharField(
        label=_("Goals"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    host_feedback = forms.CharField(
        label=_("Host's feedback"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the host organisation says of the intern, once it is over."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Person.objects.visible_to(user)
        self.fields["host"].queryset = Organisation.objects.visible_to(user)
        self.fields["participant"].error_messages["required"] = _(
            "Choose the participant."
        )
        self.fields["host"].error_messages["required"] = _(
            "Choose the host organisation."
        )

    @staticmethod
    def initial_for(placement) -> dict:
        return {
            "participant": placement.participant_id,
            "host": placement.host_id,
            "starts_on": placement.starts_on,
            "ends_on": placement.ends_on,
            "goals": placement.goals,
            "host_feedback": placement.host_feedback,
        }


# Meetings of outreach visits ----------------------------------------------------------


class MeetingForm(PageForm):
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    topic = forms.CharField(label=_("Topic"), max_length=500)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was discussed."),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was agreed."),
    )
    people = PickedPeopleField(
        label=_("People met"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    organisations = PickedOrganisationsField(
        label=pgettext_lazy("meeting", "Organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )

    def __init__(self, *args: Any, user: User, event: Event, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_on": event.starts_on})
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.visible_to(user)
        self.fields["organisations"].queryset = Organisation.objects.visible_to(user)


class FollowUpForm(PageForm):
    description = forms.CharField(
        label=_("What to do"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = UserChoiceField(
        label=_("Owner"), queryset=User.objects.none(), empty_label="—"
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)

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

    def has_changed(self) -> bool:
        # The owner comes filled in: a row with nothing to do and no date is an
        # empty row, whoever its owner says.
        return any(name in self.changed_data for name in ("description", "due_on"))


class BaseFollowUpFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[FollowUpForm]:
        return [form for form in self.forms if form.has_changed()]


FOLLOW_UPS_PREFIX = "follow_ups"
FollowUpFormSet = forms.formset_factory(
    FollowUpForm, formset=BaseFollowUpFormSet, extra=1, max_num=50
)
