"""Filters of the community lists, shared by the pages, the exports and the API.

Every FilterSet filters a queryset that a selector already scoped to the user, so
a filter can narrow what a user sees but never widen it.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creative_regions.community.models import (
    Affiliation,
    Community,
    CommunityMembership,
    Consent,
    FollowUp,
    Interaction,
    InteractionAttachment,
    Organisation,
    Person,
)
from creative_regions.community.selectors import search_filter
from creative_regions.core.filters import (
    DateFilter,
    IdFilter,
    RegionFilter,
    StyledFilterSet,
    TextFilter,
    any_choice,
)
from creative_regions.core.text import search_normalise

BOOLEAN_CHOICES = (("", _("any")), ("true", _("yes")), ("false", _("no")))


def _strict_boolean(
    label, method: str = "filter_boolean"
) -> django_filters.ChoiceFilter:
    # A strict choice: an invalid value is an error, never silently "any". The
    # empty choice is "any" itself, so no dashed empty label is added.
    return django_filters.ChoiceFilter(
        label=label, choices=BOOLEAN_CHOICES, method=method, empty_label=None
    )


class SearchableFilterSet(StyledFilterSet):
    """Searches the community's records with their own full-text rules."""

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_filter(queryset, value)


def _member_of(community_id: int, **member: OuterRef) -> Exists:
    return Exists(
        CommunityMembership.objects.filter(
            community_id=community_id,
            status=CommunityMembership.Status.ACTIVE,
            **member,
        )
    )


class OrganisationFilterSet(SearchableFilterSet):
    q = TextFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Name, INN, OGRN or city"),
    )
    region = RegionFilter()
    kind = django_filters.ChoiceFilter(
        label=pgettext_lazy("community", "Kind"),
        choices=any_choice(_("All kinds"), Organisation.Kind.choices),
        empty_label=None,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=any_choice(_("Any status"), Organisation.Status.choices),
        empty_label=None,
    )
    sector = TextFilter(
        label=_("Creative sector"), method="filter_sector", help_text=_("Sector name")
    )
    tag = TextFilter(label=_("Tag"), method="filter_tag")
    community = IdFilter(
        model=Community,
        label=_("Community"),
        method="filter_community",
        help_text=_("Active members of the community with this id"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=(
            ("", _("Name")),
            ("-name", _("Name, Z to A")),
            ("region", _("Region")),
            ("-created", _("Newest first")),
            ("-updated", _("Recently changed first")),
        ),
    )
    SORTS = {
        "-name": ("-full_name",),
        "region": ("region__code", "full_name"),
        "-created": ("-created_at",),
        "-updated": ("-updated_at",),
    }

    class Meta:
        model = Organisation
        fields = ("q", "region", "kind", "status", "sector", "tag", "community")

    def filter_sector(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        through = Organisation.sectors.through
        return queryset.filter(
            Exists(
                through.objects.filter(
                    organisation_id=OuterRef("pk"), sector__name=value.strip()
                )
            )
        )

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        through = Organisation.tags.through
        return queryset.filter(
            Exists(
                through.objects.filter(
                    organisation_id=OuterRef("pk"),
                    tag__normalised=search_normalise(" ".join(value.split())),
                )
            )
        )

    def filter_community(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(_member_of(value, organisation_id=OuterRef("pk")))


class PersonFilterSet(SearchableFilterSet):
    q = TextFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Name, e-mail, phone or Telegram"),
    )
    region = RegionFilter()
    role = TextFilter(
        label=_("Role"), method="filter_role", help_text=_("Role code, e.g. mentor")
    )
    organisation = IdFilter(
        model=Organisation,
        label=_("Organisation"),
        method="filter_organisation",
        help_text=_("People working at the organisation with this id now"),
    )
    community = IdFilter(
        model=Community,
        label=_("Community"),
        method="filter_community",
        help_text=_("Active members of the community with this id"),
    )
    consent = django_filters.ChoiceFilter(
        label=_("Consent in force"),
        choices=any_choice(_("Any"), Consent.Purpose.choices),
        method="filter_consent",
        empty_label=None,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=(
            ("", _("Surname")),
            ("-surname", _("Surname, Z to A")),
            ("region", _("Region")),
            ("-created", _("Newest first")),
        ),
    )
    SORTS = {
        "-surname": ("-surname", "-first_name"),
        "region": ("region__code", "surname", "first_name"),
        "-created": ("-created_at",),
    }

    class Meta:
        model = Person
        fields = ("q", "region", "role", "organisation", "community", "consent")

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        through = Person.roles.through
        return queryset.filter(
            Exists(
                through.objects.filter(
                    person_id=OuterRef("pk"), personrole__code=value.strip()
                )
            )
        )

    def filter_organisation(
        self, queryset: QuerySet, name: str, value: int
    ) -> QuerySet:
        current = Affiliation.objects.current(timezone.localdate()).filter(
            person_id=OuterRef("pk"), organisation_id=value
        )
        return queryset.filter(Exists(current))

    def filter_community(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(_member_of(value, person_id=OuterRef("pk")))

    def filter_consent(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        valid = Consent.objects.filter(person_id=OuterRef("pk")).valid_on(
            timezone.localdate(), value
        )
        return queryset.filter(Exists(valid))


class AffiliationFilterSet(SearchableFilterSet):
    person = IdFilter(model=Person, label=_("Person"), field_name="person_id")
    organisation = IdFilter(
        model=Organisation, label=_("Organisation"), field_name="organisation_id"
    )
    current = _strict_boolean(_("Current"))

    class Meta:
        model = Affiliation
        fields = ("person", "organisation", "current")

    def filter_boolean(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        current = queryset.current(timezone.localdate())
        if value == "true":
            return current
        return queryset.exclude(pk__in=current.values("pk"))


class ConsentFilterSet(SearchableFilterSet):
    person = IdFilter(model=Person, label=_("Person"), field_name="person_id")
    purpose = django_filters.ChoiceFilter(
        label=_("Purpose"),
        choices=any_choice(_("Any"), Consent.Purpose.choices),
        empty_label=None,
    )
    withdrawn = _strict_boolean(_("Withdrawn"))

    class Meta:
        model = Consent
        fields = ("person", "purpose", "withdrawn")

    def filter_boolean(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(withdrawn_on__isnull=value != "true")


class CommunityFilterSet(SearchableFilterSet):
    q = TextFilter(label=_("Search"), method="filter_search")
    region = RegionFilter(method="filter_region")
    sector = TextFilter(label=_("Creative sector"), method="filter_sector")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=any_choice(_("Any status"), Community.Status.choices),
        empty_label=None,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=(
            ("", _("Name")),
            ("-name", _("Name, Z to A")),
            ("-members", _("Most members first")),
            ("-created", _("Newest first")),
        ),
    )
    # The member count is the selector's, so it counts only the members the
    # user may see.
    SORTS = {
        "-name": ("-name",),
        "-members": ("-active_member_count", "name"),
        "-created": ("-created_at",),
    }

    class Meta:
        model = Community
        fields = ("q", "region", "sector", "status")

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Exists(
                Community.regions.through.objects.filter(
                    community_id=OuterRef("pk"), region__code=value
                )
            )
        )

    def filter_sector(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Exists(
                Community.sectors.through.objects.filter(
                    community_id=OuterRef("pk"), sector__name=value.strip()
                )
            )
        )


class MembershipFilterSet(SearchableFilterSet):
    community = IdFilter(
        model=Community, label=_("Community"), field_name="community_id"
    )
    person = IdFilter(model=Person, label=_("Person"), field_name="person_id")
    organisation = IdFilter(
        model=Organisation, label=_("Organisation"), field_name="organisation_id"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=any_choice(_("Any status"), CommunityMembership.Status.choices),
        empty_label=None,
    )
    member_type = django_filters.ChoiceFilter(
        label=_("Member"),
        choices=(
            ("", _("People and organisations")),
            ("person", _("People")),
            ("organisation", pgettext_lazy("community", "Organisations")),
        ),
        method="filter_member_type",
        empty_label=None,
    )

    class Meta:
        model = CommunityMembership
        fields = ("community", "person", "organisation", "status", "member_type")

    def filter_member_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{value}__isnull": False})


class InteractionFilterSet(SearchableFilterSet):
    q = TextFilter(label=_("Search"), method="filter_search", help_text=_("Topic"))
    region = RegionFilter()
    kind = django_filters.ChoiceFilter(
        label=pgettext_lazy("community", "Kind"),
        choices=any_choice(_("All kinds"), Interaction.Kind.choices),
        empty_label=None,
    )
    date_from = DateFilter(label=_("From"), field_name="occurred_on", lookup_expr="gte")
    date_to = DateFilter(label=_("To"), field_name="occurred_on", lookup_expr="lte")
    organisation = IdFilter(
        model=Organisation, label=_("Organisation"), method="filter_organisation"
    )
    person = IdFilter(model=Person, label=_("Person"), method="filter_person")
    with_authorities = _strict_boolean(_("With authorities"))
    open_follow_ups = _strict_boolean(
        _("Open follow-ups"), method="filter_open_follow_ups"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=(
            ("", _("Newest first")),
            ("date", _("Oldest first")),
            ("region", _("Region")),
        ),
    )
    SORTS = {
        "date": ("occurred_on",),
        "region": ("region__code", "-occurred_on"),
    }

    class Meta:
        model = Interaction
        fields = ("q", "region", "kind", "date_from", "date_to")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Newest first even on PostgreSQL: a topic match is not a ranking.
        ordering = queryset.query.order_by
        return search_filter(queryset, value).order_by(*ordering)

    def filter_organisation(
        self, queryset: QuerySet, name: str, value: int
    ) -> QuerySet:
        return queryset.filter(
            Exists(
                Interaction.organisations.through.objects.filter(
                    interaction_id=OuterRef("pk"), organisation_id=value
                )
            )
        )

    def filter_person(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(
            Exists(
                Interaction.people.through.objects.filter(
                    interaction_id=OuterRef("pk"), person_id=value
                )
            )
        )

    def filter_boolean(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        authorities = Exists(
            Interaction.organisations.through.objects.filter(
                interaction_id=OuterRef("pk"),
                organisation__kind__in=Organisation.Kind.authorities(),
            )
        )
        return queryset.filter(authorities if value == "true" else ~authorities)

    def filter_open_follow_ups(
        self, queryset: QuerySet, name: str, value: str
    ) -> QuerySet:
        open_follow_ups = Exists(
            FollowUp.objects.open().filter(interaction_id=OuterRef("pk"))
        )
        return queryset.filter(open_follow_ups if value == "true" else ~open_follow_ups)


class FollowUpFilterSet(SearchableFilterSet):
    region = RegionFilter(field_name="interaction__region")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=any_choice(_("Any status"), FollowUp.Status.choices),
        empty_label=None,
    )
    interaction = IdFilter(
        model=Interaction, label=_("Interaction"), field_name="interaction_id"
    )
    mine = _strict_boolean(_("Mine"))
    overdue = _strict_boolean(_("Overdue"), method="filter_overdue")
    due_before = DateFilter(
        label=_("Due before"), field_name="due_on", lookup_expr="lt"
    )

    class Meta:
        model = FollowUp
        fields = ("region", "status", "interaction", "mine", "overdue", "due_before")

    def filter_boolean(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user = getattr(self.request, "user", None)
        if value == "true":
            return queryset.filter(owner=user)
        return queryset.exclude(owner=user)

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        overdue = queryset.overdue(timezone.localdate())
        if value == "true":
            return overdue
        return queryset.exclude(pk__in=overdue.values("pk"))


class AttachmentFilterSet(StyledFilterSet):
    interaction = IdFilter(
        model=Interaction, label=_("Interaction"), field_name="interaction_id"
    )

    class Meta:
        model = InteractionAttachment
        fields = ("interaction",)
