"""Forms of the organisation and people pages.

They check only the shape of the input (required, length, a date is a date); the
services decide everything else (INN checksums, contacts, a partner's regions) and
their messages are put next to the field they name with ``add_service_error``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creative_regions.community.models import Consent, Organisation
from creative_regions.community.selectors import (
    organisation_list,
    person_role_list,
    sector_choices,
    tag_list,
)
from creative_regions.community.selectors_pages import community_choice_list
from creative_regions.core.models import User
from creative_regions.geo.selectors import region_list

EXPORT_FORMATS = (("xlsx", "XLSX"), ("csv", "CSV"))


class PageForm(forms.Form):
    """Bootstrap classes on the widgets, and a field with an error marked invalid
    for the eye and for screen readers."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
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
            target = name if name in self.fields else None
            if name == NON_FIELD_ERRORS:
                target = None
            self.add_error(target, messages)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _names(text: str) -> list[str]:
    """Tags typed in one box, separated by commas or semicolons."""
    return [name.strip() for name in text.replace(";", ",").split(",") if name.strip()]


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class OrganisationForm(PageForm):
    full_name = forms.CharField(label=_("Full name"), max_length=500)
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=200,
        required=False,
        help_text=_("As people call it; the lists show it when it is filled."),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("organisation", "Kind"), choices=Organisation.Kind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Organisation.Status.choices,
        initial=Organisation.Status.ACTIVE,
    )
    # Identifiers and links are left loose here: the service reads them with
    # spaces and dashes and explains what is wrong with them.
    inn = forms.CharField(
        label=_("INN"),
        max_length=40,
        required=False,
        help_text=_("10 digits for an organisation, 12 for a sole trader."),
    )
    ogrn = forms.CharField(label=_("OGRN or OGRNIP"), max_length=40, required=False)
    region = RegionChoiceField(label=_("Region"), queryset=None)
    city = forms.CharField(label=_("City"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
    telegram = forms.CharField(
        label=_("Telegram"),
        max_length=100,
        required=False,
        help_text=_("@name or a t.me link"),
    )
    vk = forms.CharField(
        label=_("VK"),
        max_length=200,
        required=False,
        help_text=_("A link to the page, e.g. https://vk.com/studio_name"),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Creative sectors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=1000,
        required=False,
        help_text=_("Separated by commas, e.g. anchor, export-ready"),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, *args, user: User, organisation: Organisation | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        # A partner is offered their own regions only; the service holds the rule.
        self.fields["region"].queryset = region_list(user=user)
        # The organisation's sectors that the classifications no longer offer
        # stay choices (chosen), or saving any field would drop them.
        held = () if organisation is None else organisation.sectors.all()
        self.fields["sectors"].choices = sector_choices(held)

    @staticmethod
    def initial_for(organisation: Organisation) -> dict:
        return {
            **{
                name: getattr(organisation, name) or ""
                for name in (
                    "full_name",
                    "short_name",
                    "kind",
                    "status",
                    "inn",
                    "ogrn",
                    "city",
                    "address",
                    "website",
                    "telegram",
                    "vk",
                    "description",
                )
            },
            "region": organisation.region_id,
            "sectors": [sector.name for sector in organisation.sectors.all()],
            "tags": ", ".join(tag.name for tag in organisation.tags.all()),
        }

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["inn"] = data["inn"].strip() or None
        data["tags"] = _names(data["tags"])
        return data


class PersonForm(PageForm):
    surname = forms.CharField(label=_("Surname"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    position = forms.CharField(label=_("Position"), max_length=300, required=False)
    region = RegionChoiceField(label=_("Region"), queryset=None)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("With the area code, e.g. +7 912 345-67-89"),
    )
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    telegram = forms.CharField(
        label=_("Telegram"),
        max_length=100,
        required=False,
        help_text=_("@name or a t.me link"),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person knows and can help with."),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_list(user=user)
        self.fields["roles"].choices = [
            (role.code, role.name) for role in person_role_list()
        ]

    @staticmethod
    def initial_for(person) -> dict:
        return {
            **{
                name: getattr(person, name)
                for name in (
                    "surname",
                    "first_name",
                    "patronymic",
                    "position",
                    "phone",
                    "email",
                    "telegram",
                    "expertise",
                )
            },
            "region": person.region_id,
            "roles": [role.code for role in person.roles.all()],
        }

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class ConsentRecordForm(PageForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    given_on = forms.DateField(label=_("Given on"), widget=_date_input())
    channel = forms.ChoiceField(label=_("Channel"), choices=Consent.Channel.choices)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=500,
        required=False,
        help_text=_("Where the signed form or message is kept."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        kwargs.setdefault("prefix", "consent")
        super().__init__(*args, **kwargs)


class ConsentWithdrawForm(PageForm):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=_date_input())

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"withdrawn_on": timezone.localdate()})
        kwargs.setdefault("prefix", "withdraw")
        super().__init__(*args, **kwargs)


class OrganisationChoiceField(forms.ModelChoiceField):
    """An organisation the user may see; the page offers them through a picker
    that searches, never as one list of every organisation."""

    default_error_messages = {
        "invalid_choice": _("Choose an organisation from the list."),
    }


class AffiliationAddForm(PageForm):
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=None)
    role = forms.CharField(
        label=_("Role or position there"), max_length=300, required=False
    )
    started_on = forms.DateField(
        label=_("Start date"), required=False, widget=_date_input()
    )
    ended_on = forms.DateField(
        label=_("End date"), required=False, widget=_date_input()
    )
    end_current = forms.BooleanField(
        label=_("A change of employer: end the current affiliations on the start date"),
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        kwargs.setdefault("prefix", "affiliation")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_list(user=user)


class AffiliationEndForm(PageForm):
    ended_on = forms.DateField(label=_("End date"), widget=_date_input())

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"ended_on": timezone.localdate()})
        kwargs.setdefault("prefix", "end")
        super().__init__(*args, **kwargs)


class PersonExportForm(PageForm):
    """The purpose a people export is for: only people who consented to it go into
    the file (152-ФЗ)."""

    purpose = forms.ChoiceField(
        label=_("Purpose of the export"),
        choices=[("", _("Choose the purpose")), *Consent.Purpose.choices],
        error_messages={"required": _("Choose the purpose of the export.")},
    )
    file_format = forms.ChoiceField(
        label=_("Format"), choices=EXPORT_FORMATS, required=False
    )


# Filter bars ---------------------------------------------------------------------


def _select(choices: Iterable[tuple], current, *, empty_label) -> forms.Select:
    """A select of ``choices`` after "any"; a current value the list lacks (a
    shared link, a record since renamed) is kept so the bar shows what filters."""
    options = [("", empty_label), *((str(value), label) for value, label in choices)]
    if current and all(str(current) != value for value, _label in options):
        options.append((str(current), str(current)))
    return forms.Select(choices=options, attrs={"class": "form-select"})


def organisation_filters_setup(filterset, *, user: User) -> None:
    """The organisation list's filter bar: select boxes of what the user may pick,
    and labels in the words of the page."""
    form = filterset.form
    data = filterset.data
    fields = form.fields
    fields["q"].label = _("Search")
    fields["q"].widget.input_type = "search"
    fields["region"].label = _("Region")
    fields["region"].widget = _select(
        ((region.code, region.name) for region in region_list(user=user)),
        data.get("region"),
        empty_label=_("All regions"),
    )
    fields["kind"].label = pgettext_lazy("organisation", "Kind")
    fields["status"].label = _("Status")
    fields["sector"].label = _("Creative sector")
    fields["sector"].widget = _select(
        sector_choices(), data.get("sector"), empty_label=_("All sectors")
    )
    fields["tag"].label = _("Tag")
    fields["tag"].widget = _select(
        ((tag.name, tag.name) for tag in tag_list()),
        data.get("tag"),
        empty_label=_("All tags"),
    )
    fields["community"].label = _("Community")
    fields["community"].widget = _select(
        (
            (community.pk, community.name)
            for community in community_choice_list(user=user)
        ),
        data.get("community"),
        empty_label=_("All communities"),
    )
    fields["sort"].widget = forms.HiddenInput(attrs={"id": "filter-sort"})


def person_filters_setup(filterset, *, user: User) -> None:
    """The people list's filter bar (the organisation is picked with a search)."""
    form = filterset.form
    data = filterset.data
    fields = form.fields
    fields["q"].label = _("Search")
    fields["q"].widget.input_type = "search"
    fields["region"].label = _("Region")
    fields["region"].widget = _select(
        ((region.code, region.name) for region in region_list(user=user)),
        data.get("region"),
        empty_label=_("All regions"),
    )
    fields["role"].label = _("Role")
    fields["role"].widget = _select(
        ((role.code, role.name) for role in person_role_list()),
        data.get("role"),
        empty_label=_("All roles"),
    )
    fields["organisation"].label = _("Organisation")
    fields["community"].label = _("Community")
    fields["community"].widget = _select(
        (
            (community.pk, community.name)
            for community in community_choice_list(user=user)
        ),
        data.get("community"),
        empty_label=_("All communities"),
    )
    fields["consent"].label = _("Consent in force for")
    fields["sort"].widget = forms.HiddenInput(attrs={"id": "filter-sort"})
