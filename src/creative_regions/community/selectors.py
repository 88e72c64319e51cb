"""Reads of the community app, already scoped to what the user may see.

Every list starts from the model's ``visible_to(user)`` and fetches what its rows
show in a fixed number of queries, so pages, exports and the API can use these
querysets as they are (and filter them with ``filters.py``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

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
    PersonRole,
    Sector,
    Tag,
)
from creative_regions.core.models import (
    RegionScopedQuerySet,
    User,
    sees_all_regions,
)
from creative_regions.core.text import search_normalise
from creative_regions.geo.models import Region
from creative_regions.registry.selectors import FirmSnapshot, firm_history_list
from creative_regions.registry.services import registry_store
from creative_regions.research.selectors import (
    classification_entry_list,
    classification_list,
    classification_match,
)


def _get(queryset: QuerySet, pk: int | str, message: str):
    """The record ``pk`` of ``queryset``; 404 when it is missing or not visible,
    so a partner cannot tell another region's record from a missing one."""
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, queryset.model.DoesNotExist) as error:
        raise Http404(message) from error


# Search ---------------------------------------------------------------------------


def is_postgresql(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def search_filter(queryset: QuerySet, text: str) -> QuerySet:
    """Rows whose names (``search_text``) match ``text``, any case, ё as е.

    Every word must occur in the row. On PostgreSQL a row whose words are close
    to the query also matches, so a typo ("Иванв") still finds "Иванов"; rows
    come best match first there (a later ``order_by`` replaces that). Both ways
    use the trigram index of ``search_text`` on PostgreSQL.
    """
    normalised = " ".join(search_normalise(text).split())
    if not normalised:
        return queryset
    contains = Q()
    for word in normalised.split():
        contains &= Q(search_text__contains=word)
    if not is_postgresql(queryset):
        return queryset.filter(contains)
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return (
        queryset.filter(contains | Q(search_text__trigram_word_similar=normalised))
        .annotate(relevance=TrigramWordSimilarity(normalised, "search_text"))
        .order_by("-relevance", *ordering)
    )


@dataclass(frozen=True)
class SearchResults:
    organisations: list[Organisation]
    people: list[Person]

    @property
    def is_empty(self) -> bool:
        return not self.organisations and not self.people


def community_search(*, user: User, text: str, limit: int = 10) -> SearchResults:
    """Organisations and people matching ``text``, best first, up to ``limit`` of
    each, among those the user may see."""
    if not search_normalise(text).strip():
        return SearchResults(organisations=[], people=[])
    organisations = search_filter(organisation_list(user=user), text)[:limit]
    people = search_filter(person_list(user=user), text)[:limit]
    return SearchResults(organisations=list(organisations), people=list(people))


# Reference lists --------------------------------------------------------------------


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.order_by("normalised")


def person_role_list() -> QuerySet[PersonRole]:
    return PersonRole.objects.order_by("code")


def sector_list() -> QuerySet[Sector]:
    """Sectors some record refers to (see ``sector_choices`` for all of them)."""
    return Sector.objects.select_related("classification").order_by(
        "classification__key", "name"
    )


@dataclass(frozen=True)
class SectorChoice:
    """A creative sector as forms and the API offer it: ``name`` is the value
    to send, ``label`` says it in the interface's language with the key of the
    classification it belongs to."""

    name: str
    label: str
    classification: str


def sector_choice_list() -> list[SectorChoice]:
    """Every creative sector of the classifications' active versions, by
    classification key, then by label."""
    choices: dict[str, SectorChoice] = {}
    for classification in classification_list():
        entries = classification_entry_list(version=classification.active_version)
        for sector, sector_en in entries.values_list("sector", "sector_en").distinct():
            name = sector_en if sector_en and _is_english() else sector
            # Two classifications may name a sector alike ("Architecture" of
            # ru-minec-16 and of uk-dcms): the key tells them apart.
            label = _("%(sector)s (%(classification)s)") % {
                "sector": name,
                "classification": classification.key,
            }
            choices.setdefault(
                sector, SectorChoice(sector, str(label), classification.key)
            )
    return sorted(choices.values(), key=lambda item: (item.classification, item.label))


def sector_choices(held: Iterable[Sector] = ()) -> list[tuple[str, str]]:
    """``sector_choice_list`` as (name, label) pairs, for forms and filters.

    ``held`` are the sectors a record has: those no active classification
    version offers (an earlier version's, another classification's) come
    first, labelled as such, so a form shows them chosen and saving it keeps
    them."""
    choices = [(choice.name, choice.label) for choice in sector_choice_list()]
    offered = {name for name, _label in choices}
    kept = []
    for sector in held:
        if sector.name in offered:
            continue
        offered.add(sector.name)
        label = _(
            "%(sector)s (%(classification)s — not offered by the active "
            "classifications)"
        ) % {"sector": sector.label, "classification": sector.classification.key}
        kept.append((sector.name, str(label)))
    return [*kept, *choices]


def _is_english() -> bool:
    return get_language() == "en"


# Organisations ----------------------------------------------------------------------


def organisation_list(*, user: User) -> QuerySet[Organisation]:
    """Organisations the user may see, by name, with what a list row shows."""
    return (
        Organisation.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.order_by("name")),
            Prefetch("tags", queryset=Tag.objects.order_by("normalised")),
        )
        .order_by("full_name", "pk")
    )


def organisation_get_for_user(*, user: User, pk: int | str) -> Organisation:
    return _get(organisation_list(user=user), pk, "No such organisation.")


@dataclass(frozen=True)
class RegisterFacts:
    """What the register store says about an organisation's INN, snapshot by
    snapshot, oldest first."""

    inn: str
    snapshots: list[FirmSnapshot]
    # Creative sectors the main activity falls in, by classification.
    main_activity_sectors: list[str] = field(default_factory=list)

    @property
    def latest(self) -> FirmSnapshot:
        return self.snapshots[-1]

    @property
    def first_seen(self) -> date:
        """The first snapshot of the store that lists the firm."""
        return self.snapshots[0].snapshot

    @property
    def category_label(self) -> str:
        return self.latest.category_label

    @property
    def main_activity(self) -> str | None:
        return self.latest.okved_main

    @property
    def employees(self) -> list[tuple[date, int | None]]:
        return [(row.snapshot, row.employees) for row in self.snapshots]


def organisation_register_facts(
    *, user: User, organisation: Organisation
) -> RegisterFacts | None:
    """The register's facts on the organisation's INN (category, main activity,
    employees over the snapshots, first seen), or ``None`` when it has no INN or
    the store does not list it. Read by DuckDB from the store."""
    if not organisation.inn:
        return None
    snapshots = firm_history_list(
        user=user, inn=organisation.inn, store=registry_store()
    )
    if not snapshots:
        return None
    sectors = []
    code = snapshots[-1].okved_main
    if code:
        for classification in classification_list():
            match = classification_match(
                version=classification.active_version, code=code
            )
            if match.entry is not None:
                sectors.append(match.entry.sector_name)
    return RegisterFacts(
        inn=organisation.inn, snapshots=snapshots, main_activity_sectors=sectors
    )


def organisation_timeline(
    *, user: User, organisation: Organisation
) -> QuerySet[Interaction]:
    """The interactions the organisation took part in, newest first."""
    return interaction_list(user=user).filter(
        Exists(
            Interaction.organisations.through.objects.filter(
                interaction_id=OuterRef("pk"), organisation_id=organisation.pk
            )
        )
    )


# People -----------------------------------------------------------------------------


def _with_visible_organisation(
    affiliations: QuerySet[Affiliation], user: User
) -> QuerySet[Affiliation]:
    """``affiliations`` with their organisation and its region fetched, as the
    user may see it: a prefetch through the organisations' ``visible_to`` leaves
    another region's organisation missing (``affiliation_organisation`` gives
    ``None``, templates an empty value), so no page, export or serializer can
    show its name or link to it by mistake."""
    if sees_all_regions(user):
        return affiliations.select_related("organisation__region")
    return affiliations.prefetch_related(
        Prefetch(
            "organisation",
            queryset=Organisation.objects.visible_to(user).select_related("region"),
        )
    )


def person_list(*, user: User, on: date | None = None) -> QuerySet[Person]:
    """People the user may see, by surname, with their roles and their current
    affiliations (``current_affiliations``) as of ``on`` (today), each with its
    organisation missing when the user may not see it (see
    ``_with_visible_organisation``)."""
    on = on or timezone.localdate()
    current = _with_visible_organisation(Affiliation.objects.current(on), user)
    return (
        Person.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            Prefetch("roles", queryset=PersonRole.objects.order_by("code")),
            Prefetch(
                "affiliations",
                queryset=current.order_by("-started_on", "pk"),
                to_attr="current_affiliations",
            ),
        )
        .order_by("surname", "first_name", "patronymic", "pk")
    )


def person_get_for_user(*, user: User, pk: int | str) -> Person:
    return _get(person_list(user=user), pk, "No such person.")


def person_timeline(*, user: User, person: Person) -> QuerySet[Interaction]:
    """The interactions the person took part in, newest first."""
    return interaction_list(user=user).filter(
        Exists(
            Interaction.people.through.objects.filter(
                interaction_id=OuterRef("pk"), person_id=person.pk
            )
        )
    )


def affiliation_list(
    *,
    user: User,
    person: Person | None = None,
    organisation: Organisation | None = None,
) -> QuerySet[Affiliation]:
    """Who works where, the current ones and the past, latest start first. An
    affiliation follows its person's region, so a partner's person may work at
    another region's organisation: that one is left missing (see
    ``affiliation_organisation``; ``organisation_id`` stays), for pages and the
    API to call it "an organisation from another region"."""
    queryset = _with_visible_organisation(
        Affiliation.objects.visible_to(user).select_related("person__region"), user
    )
    if person is not None:
        queryset = queryset.filter(person=person)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.order_by(
        models.F("ended_on").desc(nulls_first=True),
        models.F("started_on").desc(nulls_last=True),
        "pk",
    )


def affiliation_organisation(affiliation: Affiliation) -> Organisation | None:
    """The affiliation's organisation as ``affiliation_list`` fetched it for its
    user: ``None`` for another region's one (templates read it as empty)."""
    try:
        return affiliation.organisation
    except Organisation.DoesNotExist:
        return None


def affiliation_get_for_user(*, user: User, pk: int | str) -> Affiliation:
    return _get(affiliation_list(user=user), pk, "No such affiliation.")


# Consents ---------------------------------------------------------------------------


def consent_list(*, user: User, person: Person | None = None) -> QuerySet[Consent]:
    queryset = Consent.objects.visible_to(user).select_related(
        "person__region", "recorded_by"
    )
    if person is not None:
        queryset = queryset.filter(person=person)
    return queryset.order_by("person_id", "purpose", "-given_on", "-pk")


def consent_get_for_user(*, user: User, pk: int | str) -> Consent:
    return _get(consent_list(user=user), pk, "No such consent.")


def consent_is_valid(*, person: Person, purpose: str, on: date | None = None) -> bool:
    """Whether the person's consent for ``purpose`` is in force on ``on`` (today)."""
    day = on or timezone.localdate()
    return Consent.objects.filter(person=person).valid_on(day, purpose).exists()


class ExclusionReason(models.TextChoices):
    NO_CONSENT = "no_consent", _("No consent for this purpose is recorded.")
    WITHDRAWN = "withdrawn", _("The consent for this purpose was withdrawn.")
    NOT_YET = "not_yet", _("The consent for this purpose was given only later.")


@dataclass(frozen=True)
class ConsentEligibility:
    """Who may be contacted or exported for a purpose on a day, and who may not.

    ``excluded`` rows carry ``exclusion_reason`` (an ``ExclusionReason``) and
    ``consent_withdrawn_on`` (the last withdrawal, if any) so the page can say why.
    """

    purpose: str
    on: date
    eligible: QuerySet[Person]
    excluded: QuerySet[Person]


def person_consent_eligibility(
    *,
    user: User,
    purpose: str,
    on: date | None = None,
    people: QuerySet[Person] | None = None,
) -> ConsentEligibility:
    """Splits ``people`` (all the user may see by default) into those with a
    consent for ``purpose`` in force on ``on`` (today) and the rest, with the
    reason each is excluded. Other purposes' consents play no part."""
    day = on or timezone.localdate()
    people = person_list(user=user) if people is None else people
    consents = Consent.objects.filter(person_id=OuterRef("pk"), purpose=purpose)
    valid = Exists(consents.valid_on(day))
    eligible = people.filter(valid)
    excluded = people.exclude(valid).annotate(
        exclusion_reason=Case(
            When(
                Exists(consents.filter(withdrawn_on__lte=day)),
                then=models.Value(ExclusionReason.WITHDRAWN.value),
            ),
            When(
                Exists(consents.filter(given_on__gt=day)),
                then=models.Value(ExclusionReason.NOT_YET.value),
            ),
            default=models.Value(ExclusionReason.NO_CONSENT.value),
            output_field=models.CharField(),
        ),
        consent_withdrawn_on=models.Subquery(
            consents.filter(withdrawn_on__lte=day)
            .order_by("-withdrawn_on")
            .values("withdrawn_on")[:1]
        ),
    )
    return ConsentEligibility(
        purpose=purpose, on=day, eligible=eligible, excluded=excluded
    )


# Communities ------------------------------------------------------------------------


def community_list(*, user: User) -> QuerySet[Community]:
    """Communities with a region of the user's, by name, with their regions,
    sectors, coordinator and ``active_member_count``: the active members the
    user may see, so the count agrees with ``membership_list``. A coordinator
    the user may not see (another region's person) reads as none."""
    active_members = (
        CommunityMembership.objects.visible_to(user)
        .active()
        .filter(community_id=OuterRef("pk"))
        .order_by()
        .values("community_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    queryset = Community.objects.visible_to(user)
    if sees_all_regions(user):
        queryset = queryset.select_related("coordinator")
    else:
        # A prefetch through a scoped queryset leaves a hidden coordinator
        # unset, so every page and export shows it as none.
        queryset = queryset.prefetch_related(
            Prefetch("coordinator", queryset=Person.objects.visible_to(user))
        )
    return (
        queryset.prefetch_related(
            Prefetch("regions", queryset=Region.objects.order_by("code")),
            Prefetch("sectors", queryset=Sector.objects.order_by("name")),
        )
        .annotate(
            active_member_count=Coalesce(
                Subquery(active_members, output_field=models.IntegerField()),
                Value(0),
            )
        )
        .order_by("name", "pk")
    )


def community_get_for_user(*, user: User, pk: int | str) -> Community:
    return _get(community_list(user=user), pk, "No such community.")


@dataclass(frozen=True)
class RegionCommunities:
    region: Region
    communities: list[Community]


def community_list_by_region(
    *, user: User, region: Region | None = None
) -> list[RegionCommunities]:
    """The communities of each region the user may see (one region when given),
    regions by code; a community of several regions appears under each."""
    communities = community_list(user=user)
    if region is not None:
        communities = communities.in_regions([region.pk])
    visible_regions = set(Region.objects.visible_to(user).values_list("pk", flat=True))
    groups: dict[int, RegionCommunities] = {}
    for community in communities:
        for community_region in community.regions.all():
            if community_region.pk not in visible_regions:
                continue
            if region is not None and community_region.pk != region.pk:
                continue
            group = groups.setdefault(
                community_region.pk, RegionCommunities(community_region, [])
            )
            group.communities.append(community)
    return [
        groups[key] for key in sorted(groups, key=lambda pk: groups[pk].region.code)
    ]


def membership_list(
    *,
    user: User,
    community: Community | None = None,
    person: Person | None = None,
    organisation: Organisation | None = None,
) -> QuerySet[CommunityMembership]:
    """Members the user may see, newest first."""
    queryset = CommunityMembership.objects.visible_to(user).select_related(
        "community", "person__region", "organisation__region"
    )
    if community is not None:
        queryset = queryset.filter(community=community)
    if person is not None:
        queryset = queryset.filter(person=person)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.order_by("community_id", "-joined_on", "pk")


def membership_get_for_user(*, user: User, pk: int | str) -> CommunityMembership:
    return _get(membership_list(user=user), pk, "No such membership.")


# Interactions and follow-ups ---------------------------------------------------------


def interaction_list(*, user: User) -> QuerySet[Interaction]:
    """Interactions of the user's regions, newest first, with their participants
    (only those the user may see), follow-ups and attachments."""
    return (
        Interaction.objects.visible_to(user)
        .select_related("region", "created_by")
        .prefetch_related(
            Prefetch(
                "people",
                queryset=Person.objects.visible_to(user).order_by("surname", "pk"),
            ),
            Prefetch(
                "organisations",
                queryset=Organisation.objects.visible_to(user).order_by(
                    "full_name", "pk"
                ),
            ),
            Prefetch("staff", queryset=User.objects.order_by("last_name", "pk")),
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.select_related("owner").order_by(
                    "due_on", "pk"
                ),
            ),
            Prefetch(
                "attachments",
                queryset=InteractionAttachment.objects.order_by("uploaded_at", "pk"),
            ),
        )
        .order_by("-occurred_on", "-pk")
    )


def interaction_get_for_user(*, user: User, pk: int | str) -> Interaction:
    return _get(interaction_list(user=user), pk, "No such interaction.")


def attachment_list(
    *, user: User, interaction: Interaction | None = None
) -> QuerySet[InteractionAttachment]:
    queryset = InteractionAttachment.objects.visible_to(user).select_related(
        "uploaded_by"
    )
    if interaction is not None:
        queryset = queryset.filter(interaction=interaction)
    return queryset.order_by("uploaded_at", "pk")


def attachment_get_for_user(
    *, user: User, pk: int | str, interaction: Interaction | None = None
) -> InteractionAttachment:
    return _get(
        attachment_list(user=user, interaction=interaction), pk, "No such file."
    )


def _with_overdue(queryset: QuerySet[FollowUp], today: date) -> QuerySet[FollowUp]:
    return queryset.annotate(
        overdue=Case(
            When(status=FollowUp.Status.OPEN, due_on__lt=today, then=True),
            default=False,
            output_field=models.BooleanField(),
        )
    )


def follow_up_list(*, user: User, today: date | None = None) -> QuerySet[FollowUp]:
    """Follow-ups of the user's regions by due date, so among the open ones the
    overdue come first; each row has ``overdue`` (open and due before ``today``)."""
    today = today or timezone.localdate()
    queryset = FollowUp.objects.visible_to(user).select_related(
        "owner", "interaction__region"
    )
    return _with_overdue(queryset, today).order_by("due_on", "pk")


def follow_up_get_for_user(*, user: User, pk: int | str) -> FollowUp:
    return _get(follow_up_list(user=user), pk, "No such follow-up.")


def follow_up_list_for_owner(
    *, user: User, include_closed: bool = False, today: date | None = None
) -> QuerySet[FollowUp]:
    """The user's own follow-ups ("my follow-ups"): the open ones by due date, so
    the overdue (``overdue`` on each row) come first; with ``include_closed`` the
    closed ones too, after the overdue."""
    queryset = follow_up_list(user=user, today=today).filter(owner=user)
    if include_closed:
        return queryset.order_by("-overdue", "due_on", "pk")
    return queryset.open()


@dataclass(frozen=True)
class AuthorityDialogue:
    """The dialogue with the regional and municipal authorities of a region (or of
    every region the user may see)."""

    region: Region | None
    interactions: QuerySet[Interaction]
    decisions: QuerySet[Interaction]
    open_follow_ups: QuerySet[FollowUp]


def authority_dialogue(
    *, user: User, region: Region | None = None, today: date | None = None
) -> AuthorityDialogue:
    """Interactions that involved an authority (newest first), those of them that
    recorded decisions, and their open follow-ups (overdue first)."""
    with_authorities = Exists(
        Interaction.organisations.through.objects.filter(
            interaction_id=OuterRef("pk"),
            organisation__kind__in=Organisation.Kind.authorities(),
        )
    )
    interactions = interaction_list(user=user).filter(with_authorities)
    if region is not None:
        interactions = interactions.filter(region=region)
    follow_ups = follow_up_list(user=user, today=today).open()
    follow_ups = follow_ups.filter(
        interaction__in=interactions.values("pk")
    ).select_related("interaction")
    return AuthorityDialogue(
        region=region,
        interactions=interactions,
        decisions=interactions.exclude(decisions=""),
        open_follow_ups=follow_ups,
    )


# History ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    changed_at: datetime
    user: User | None
    kind: str
    changes: list[FieldChange]

    @property
    def kind_label(self) -> str:
        labels = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
        return str(labels.get(self.kind, self.kind))


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def _hidden_label(model: type[models.Model], count: int) -> str:
    if model is Person:
        text = ngettext(
            "%(count)d person from another region",
            "%(count)d people from other regions",
            count,
        )
    elif model is Organisation:
        text = ngettext(
            "%(count)d organisation from another region",
            "%(count)d organisations from other regions",
            count,
        )
    else:
        text = ngettext(
            "%(count)d record from another region",
            "%(count)d records from other regions",
            count,
        )
    return text % {"count": count}


def _hidden_one_label(model: type[models.Model]) -> str:
    if model is Person:
        return gettext("a person from another region")
    if model is Organisation:
        return gettext("an organisation from another region")
    return gettext("a record from another region")


def _is_region_scoped(model: type[models.Model]) -> bool:
    # Regions are reference data that every list names, whoever reads it.
    return model is not Region and isinstance(
        model._default_manager.all(), RegionScopedQuerySet
    )


def _related_records(
    model: type[models.Model], ids: Iterable, user: User | AnonymousUser | None
) -> dict:
    """The records ``ids`` of ``model`` that still exist, by id, each with
    ``is_visible``: whether ``user`` may see it (always without a user)."""
    queryset = model._default_manager.filter(pk__in=set(ids))
    if user is not None and _is_region_scoped(model):
        visible = model._default_manager.visible_to(user).filter(pk=OuterRef("pk"))
        queryset = queryset.annotate(is_visible=Exists(visible))
    else:
        queryset = queryset.annotate(is_visible=Value(True))
    return {record.pk: record for record in queryset}


def _related_names(model_field, rows, user: User | AnonymousUser | None) -> str:
    # Many-to-many values come as the through rows: names are read back by id.
    target = model_field.m2m_reverse_field_name()
    records = _related_records(
        model_field.related_model, [row[target] for row in rows or ()], user
    )
    names = sorted(str(item) for item in records.values() if item.is_visible)
    hidden = sum(not item.is_visible for item in records.values())
    if hidden:
        names.append(_hidden_label(model_field.related_model, hidden))
    return ", ".join(names) or "—"


def _related_name(model_field, pk, user: User | AnonymousUser | None) -> str:
    if pk is None:
        return "—"
    related = _related_records(model_field.related_model, [pk], user).get(pk)
    if related is None:
        return str(pk)
    if not related.is_visible:
        return _hidden_one_label(model_field.related_model)
    return str(related)


def record_history(
    *,
    record: models.Model,
    user: User | AnonymousUser | None = None,
    limit: int = 100,
) -> list[HistoryEntry]:
    """Who changed what on ``record``, newest first: each change with the fields
    it touched and their old and new values.

    Related records (participants, a coordinator...) are named as the lists
    name them for ``user``: one the user may not see reads "a person from
    another region" instead of its name. A change the user cannot tell apart
    (one hidden participant for another) is left out, and so is an entry left
    with no change. Without ``user`` every name shows; that is deprecated.
    """
    if user is None:
        warnings.warn(
            "record_history() without user= names other regions' records; "
            "pass the user the history is shown to.",
            DeprecationWarning,
            stacklevel=2,
        )
    manager = record.history  # type: ignore[attr-defined]
    entries = list(
        manager.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    result = []
    for index, entry in enumerate(entries[:limit]):
        previous = entries[index + 1] if index + 1 < len(entries) else None
        changes = []
        hidden_changes = 0
        if previous is not None and entry.history_type == "~":
            for change in entry.diff_against(previous).changes:
                model_field = record._meta.get_field(change.field)
                if model_field.many_to_many:
                    old = _related_names(model_field, change.old, user)
                    new = _related_names(model_field, change.new, user)
                elif model_field.is_relation:
                    old = _related_name(model_field, change.old, user)
                    new = _related_name(model_field, change.new, user)
                else:
                    old, new = _display(change.old), _display(change.new)
                if model_field.is_relation and old == new:
                    hidden_changes += 1
                    continue
                changes.append(
                    FieldChange(
                        field=change.field,
                        label=str(model_field.verbose_name),
                        old=old,
                        new=new,
                    )
                )
        if hidden_changes and not changes:
            continue
        result.append(
            HistoryEntry(
                changed_at=entry.history_date,
                user=entry.history_user,
                kind=entry.history_type,
                changes=changes,
            )
        )
    return result
