"""Writes of the community app: every rule about organisations, people, consents,
communities and the dialogue holds here, whichever door the data came in by.

Each service takes the acting ``user`` (recorded in the history), checks that
their role may write and that a regional partner stays in their regions, runs
the model's validation and saves in one transaction. Bad input raises Django's
``ValidationError`` with messages by field; a role that may not write raises
``PermissionDenied``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
from creative_regions.community.selectors import person_consent_eligibility
from creative_regions.community.validators import (
    normalise_email,
    normalise_inn,
    normalise_ogrn,
    normalise_phone,
    validate_inn,
    validate_ogrn,
)
from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User
from creative_regions.core.services import personal_data_export_log
from creative_regions.core.text import search_normalise
from creative_regions.geo.models import Region
from creative_regions.registry.selectors import (
    FirmSnapshot,
    firm_history_list,
    firm_latest_region_code,
)
from creative_regions.registry.services import registry_store
from creative_regions.research.selectors import (
    classification_entry_list,
    classification_list,
)

# Administrators hold every role; experts only read.
WRITER_ROLES = (User.Role.MANAGER, User.Role.ANALYST, User.Role.PARTNER)
# Who may take people's personal data out of the system (152-ФЗ): the agency's
# managers and analysts, and regional partners (their regions' people only, as
# the selectors give them); administrators hold every role. Experts only read.
PERSON_EXPORT_ROLES = (User.Role.MANAGER, User.Role.ANALYST, User.Role.PARTNER)
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


# Shared checks -----------------------------------------------------------------


def user_can_write(user: User) -> bool:
    """Whether the user's role may create and change community records at all (a
    partner then only in their regions)."""
    return bool(user.is_authenticated) and user.has_role(*WRITER_ROLES)


def user_can_export_people(user: User) -> bool:
    """Whether the user's role may export people's personal data."""
    return bool(user.is_authenticated) and user.has_role(*PERSON_EXPORT_ROLES)


def _check_writer(user: User) -> None:
    if not user_can_write(user):
        raise PermissionDenied(
            _("Your role does not allow changing community records.")
        )


def _partner_region_ids(user: User) -> set[int]:
    return set(user.regions.values_list("pk", flat=True))


def _check_region(user: User, region_id: int | None, field: str = "region") -> None:
    """A regional partner writes only in their own regions."""
    if region_id is None or not user.is_partner:
        return
    if region_id not in _partner_region_ids(user):
        raise ValidationError(
            {field: _("You can only add or change records of your own regions.")}
        )


class _Errors:
    """Collects messages by field from several checks, to report them at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.by_field.setdefault(field, []).extend(messages)
        else:
            self.by_field.setdefault("__all__", []).extend(error.messages)

    def check(self, function, *args, **kwargs) -> Any:
        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            self.add(error)
            return None

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _save(
    instance: models.Model,
    *,
    user: User,
    created: bool,
    update_fields: Iterable[str] | None = None,
    m2m: Mapping[str, Iterable] | None = None,
) -> None:
    """Saves the row and its many-to-many fields as one history record by
    ``user``, rather than one record per relation changed."""
    instance._history_user = user  # type: ignore[attr-defined]
    if not m2m:
        instance.save(update_fields=update_fields)
        return
    instance.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        if created or update_fields is None or list(update_fields):
            instance.save(update_fields=None if created else update_fields)
        for name, values in m2m.items():
            getattr(instance, name).set(list(values))
    finally:
        del instance.skip_history_when_saving  # type: ignore[attr-defined]
    # The history's own receiver, after the relations are in place.
    post_save.send(
        sender=type(instance),
        instance=instance,
        created=created,
        update_fields=None,
        raw=False,
        using=instance._state.db,
    )


def _apply(
    instance: models.Model, changes: Mapping[str, Any], allowed: Iterable[str]
) -> list[str]:
    """Sets the allowed ``changes`` on ``instance``; returns the fields that
    changed. An unknown field is a programming error, not user input."""
    allowed = set(allowed)
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)} here.")
    changed = []
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _full_clean(instance: models.Model, errors: _Errors) -> None:
    errors.check(instance.full_clean)


# Reference lists -----------------------------------------------------------------


def _sector_names() -> dict[str, tuple[int, str]]:
    """Every sector of the classifications' active versions: name → (the
    classification's id, English name). The first classification by key wins a
    name two of them share."""
    names: dict[str, tuple[int, str]] = {}
    for classification in classification_list():
        entries = classification_entry_list(version=classification.active_version)
        for sector, sector_en in entries.values_list("sector", "sector_en").distinct():
            names.setdefault(sector, (classification.pk, sector_en))
    return names


def sector_resolve(names: Iterable[str], held: Iterable[Sector] = ()) -> list[Sector]:
    """The sectors named (as in a classification's code table), created on first
    use; ``ValidationError`` on ``sectors`` for a name no classification has.

    A name of one of the ``held`` sectors (those the record has) stays that
    sector, even when no active classification version offers it any more: a
    record saved with its sectors as they were keeps them all."""
    wanted = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    if not wanted:
        return []
    kept: dict[str, Sector] = {}
    for sector in held:
        kept.setdefault(sector.name, sector)
    known = _sector_names()
    unknown = [name for name in wanted if name not in known and name not in kept]
    if unknown:
        raise ValidationError(
            {
                "sectors": _(
                    "Unknown creative sector: %(names)s. Choose sectors of the "
                    "classifications."
                )
                % {"names": ", ".join(f"“{name[:100]}”" for name in unknown[:5])}
            }
        )
    sectors = []
    for name in wanted:
        if name in kept:
            sectors.append(kept[name])
            continue
        classification_id, name_en = known[name]
        sector, _created = Sector.objects.get_or_create(
            classification_id=classification_id,
            name=name,
            defaults={"name_en": name_en},
        )
        sectors.append(sector)
    return sectors


def tag_resolve(names: Iterable[str]) -> list[Tag]:
    """The tags named, created on first use; the same tag whatever the case or
    ё/е it was typed with."""
    tags: dict[str, Tag] = {}
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > 100:
            raise ValidationError({"tags": _("A tag is at most 100 characters long.")})
        key = search_normalise(name)
        if key in tags:
            continue
        tag = Tag.objects.filter(normalised=key).first()
        if tag is None:
            tag = Tag(name=name)
            tag.save()
        tags[key] = tag
    return list(tags.values())


def _person_roles(roles: Iterable[PersonRole | str]) -> list[PersonRole]:
    codes = [role.code if isinstance(role, PersonRole) else role for role in roles]
    found = {role.code: role for role in PersonRole.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValidationError(
            {
                "roles": _("Unknown role: %(codes)s.")
                % {"codes": ", ".join(f"“{code[:50]}”" for code in unknown[:5])}
            }
        )
    return [found[code] for code in dict.fromkeys(codes)]


# Organisations ---------------------------------------------------------------------

ORGANISATION_FIELDS = (
    "full_name",
    "short_name",
    "kind",
    "inn",
    "ogrn",
    "region",
    "city",
    "address",
    "website",
    "telegram",
    "vk",
    "description",
    "status",
)


@transaction.atomic
def organisation_create(
    *,
    user: User,
    full_name: str,
    kind: str,
    region: Region,
    short_name: str = "",
    inn: str | None = None,
    ogrn: str = "",
    city: str = "",
    address: str = "",
    website: str = "",
    telegram: str = "",
    vk: str = "",
    sectors: Iterable[str] = (),
    tags: Iterable[str] = (),
    description: str = "",
    status: str = Organisation.Status.ACTIVE,
) -> Organisation:
    """Records an organisation of a region, with its identifiers checked (INN and
    OGRN checksums, INN unique), its links normalised, sectors and tags."""
    _check_writer(user)
    errors = _Errors()
    errors.check(_check_region, user, region.pk if region else None)
    organisation = Organisation(
        full_name=full_name,
        short_name=short_name,
        kind=kind,
        inn=inn,
        ogrn=ogrn,
        region=region,
        city=city,
        address=address,
        website=website,
        telegram=telegram,
        vk=vk,
        description=description,
        status=status,
    )
    resolved_sectors = errors.check(sector_resolve, sectors)
    resolved_tags = errors.check(tag_resolve, tags)
    _full_clean(organisation, errors)
    errors.raise_if_any()
    _save(
        organisation,
        user=user,
        created=True,
        m2m={"sectors": resolved_sectors, "tags": resolved_tags},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, user: User, organisation: Organisation, **changes: Any
) -> Organisation:
    """Changes the given fields (any of ``ORGANISATION_FIELDS``, ``sectors`` and
    ``tags`` as names); a partner may not move it out of their regions."""
    _check_writer(user)
    _check_region(user, organisation.region_id)
    errors = _Errors()
    m2m: dict[str, list] = {}
    if "sectors" in changes:
        m2m["sectors"] = (
            errors.check(
                sector_resolve, changes.pop("sectors"), organisation.sectors.all()
            )
            or []
        )
    if "tags" in changes:
        m2m["tags"] = errors.check(tag_resolve, changes.pop("tags")) or []
    changed = _apply(organisation, changes, ORGANISATION_FIELDS)
    if "region" in changed:
        errors.check(_check_region, user, organisation.region_id)
    _full_clean(organisation, errors)
    errors.raise_if_any()
    # Normalising may change a value the caller did not name (e.g. INN spacing).
    m2m = {
        name: values
        for name, values in m2m.items()
        if {item.pk for item in values}
        != set(getattr(organisation, name).values_list("pk", flat=True))
    }
    if changed or m2m:
        _save(
            organisation,
            user=user,
            created=False,
            update_fields=ORGANISATION_FIELDS,
            m2m=m2m,
        )
    return organisation


@transaction.atomic
def organisation_delete(*, user: User, organisation: Organisation) -> None:
    """Deletes an organisation with its affiliations and memberships; the history
    keeps who deleted it."""
    _check_writer(user)
    _check_region(user, organisation.region_id)
    organisation._history_user = user  # type: ignore[attr-defined]
    organisation.delete()


@dataclass(frozen=True)
class RegisterLink:
    """The organisation an INN leads to, and whether it was created just now."""

    organisation: Organisation
    created: bool
    snapshot: date | None


REGISTER_KINDS = {
    "legal_entity": Organisation.Kind.COMPANY,
    "sole_trader": Organisation.Kind.SOLE_TRADER,
    "farm_head": Organisation.Kind.SOLE_TRADER,
}


def _register_ogrn(inn: str, ogrn: str | None) -> str:
    """The register's OGRN when it passes the checks a typed one must pass
    (checksum, the length that goes with the INN's), else "": a flawed register
    value must not stop the organisation from being added."""
    ogrn = normalise_ogrn(ogrn or "")
    if not ogrn:
        return ""
    try:
        validate_ogrn(ogrn)
    except ValidationError:
        return ""
    return ogrn if len(ogrn) == {10: 13, 12: 15}.get(len(inn)) else ""


def firm_outside_regions_message() -> str:
    """What a regional partner is told when a firm's INN belongs outside their
    regions (another region's organisation has it, or the register places the
    firm elsewhere): the same words either way, so the answer tells nothing of
    the other region's records."""
    return _(
        "A firm with this INN cannot be added to your regions' community. If it "
        "works in your region, ask the agency to add it."
    )


def _check_firm_in_regions(user: User, inn: str) -> None:
    """A regional partner adds only firms the register places in their regions
    (by its latest snapshot); one the store does not list may be added by hand.
    The store is read past the partner's scope here, and all they learn is
    ``firm_outside_regions_message``."""
    if not user.is_partner:
        return
    region_code = firm_latest_region_code(inn=inn, store=registry_store())
    if region_code is None:
        return
    if not user.regions.filter(code=region_code).exists():
        raise ValidationError({"inn": firm_outside_regions_message()})


@transaction.atomic
def organisation_from_register(
    *,
    user: User,
    inn: str,
    region: Region | None = None,
    name: str = "",
    sectors: Iterable[str] = (),
    tags: Iterable[str] = (),
) -> RegisterLink:
    """The organisation with ``inn``: the one already recorded, or a new one made
    from the firm's latest record in the register store (name, kind, region,
    OGRN, city).

    ``region`` records it in another region than the register's (a branch), or
    gives the region when the store does not know the firm; ``name`` likewise
    stands in for a name the store lacks. Sectors and tags are added to an
    existing organisation too: adding a leader to the community from a sector
    puts that sector on it.

    A regional partner adds only firms of their regions; an INN that another
    region's organisation has, or that the register places in another region,
    gets one message that names neither (``firm_outside_regions_message``).
    """
    _check_writer(user)
    inn = normalise_inn(inn) or ""
    try:
        validate_inn(inn)
    except ValidationError as error:
        raise ValidationError({"inn": error.messages}) from error

    existing = Organisation.objects.filter(inn=inn).first()
    if existing is not None:
        if not Organisation.objects.visible_to(user).filter(pk=existing.pk).exists():
            raise ValidationError({"inn": firm_outside_regions_message()})
        if sectors or tags:
            errors = _Errors()
            new_sectors = errors.check(sector_resolve, sectors) or []
            new_tags = errors.check(tag_resolve, tags) or []
            errors.raise_if_any()
            m2m = {}
            if set(new_sectors) - set(existing.sectors.all()):
                m2m["sectors"] = [*existing.sectors.all(), *new_sectors]
            if set(new_tags) - set(existing.tags.all()):
                m2m["tags"] = [*existing.tags.all(), *new_tags]
            if m2m:
                _check_region(user, existing.region_id)
                _save(existing, user=user, created=False, update_fields=(), m2m=m2m)
        return RegisterLink(organisation=existing, created=False, snapshot=None)

    try:
        _check_firm_in_regions(user, inn)
        history = firm_history_list(user=user, inn=inn, store=registry_store())
    except ApplicationError as error:
        raise ValidationError({"inn": error.message}) from error
    latest: FirmSnapshot | None = history[-1] if history else None
    if latest is None and not name.strip():
        raise ValidationError(
            {
                "inn": _(
                    "The register store has no firm with this INN; give its name "
                    "and region to add it by hand."
                )
            }
        )
    if region is None and latest is not None:
        region = Region.objects.filter(code=latest.region_code).first()
    if region is None:
        raise ValidationError(
            {"region": _("Choose the region: the register does not say it.")}
        )
    kind = REGISTER_KINDS.get(latest.kind if latest else "", Organisation.Kind.COMPANY)
    if latest is None and len(inn) == 12:
        kind = Organisation.Kind.SOLE_TRADER
    full_name = (latest.name if latest and latest.name else name).strip()
    city = " ".join((latest.city or "").split()) if latest else ""
    organisation = organisation_create(
        user=user,
        full_name=full_name[:500],
        kind=kind,
        region=region,
        inn=inn,
        ogrn=_register_ogrn(inn, latest.ogrn if latest else None),
        city=city[:200],
        sectors=sectors,
        tags=tags,
    )
    return RegisterLink(
        organisation=organisation,
        created=True,
        snapshot=latest.snapshot if latest else None,
    )


# People -----------------------------------------------------------------------------

PERSON_FIELDS = (
    "surname",
    "first_name",
    "patronymic",
    "position",
    "phone",
    "email",
    "telegram",
    "region",
    "expertise",
)


@transaction.atomic
def person_create(
    *,
    user: User,
    surname: str,
    first_name: str,
    region: Region,
    patronymic: str = "",
    position: str = "",
    phone: str = "",
    email: str = "",
    telegram: str = "",
    expertise: str = "",
    roles: Iterable[PersonRole | str] = (),
) -> Person:
    """Records a person of a region; the phone is stored in E.164, the Telegram
    name as @name, and the roles are codes of ``PersonRole``."""
    _check_writer(user)
    errors = _Errors()
    errors.check(_check_region, user, region.pk if region else None)
    person = Person(
        surname=surname,
        first_name=first_name,
        patronymic=patronymic,
        position=position,
        phone=phone,
        email=email,
        telegram=telegram,
        region=region,
        expertise=expertise,
    )
    resolved_roles = errors.check(_person_roles, roles)
    _full_clean(person, errors)
    errors.raise_if_any()
    _save(person, user=user, created=True, m2m={"roles": resolved_roles})
    return person


@transaction.atomic
def person_update(*, user: User, person: Person, **changes: Any) -> Person:
    """Changes the given fields (any of ``PERSON_FIELDS`` and ``roles``)."""
    _check_writer(user)
    _check_region(user, person.region_id)
    errors = _Errors()
    m2m: dict[str, list] = {}
    if "roles" in changes:
        roles = errors.check(_person_roles, changes.pop("roles")) or []
        if {role.pk for role in roles} != set(
            person.roles.values_list("pk", flat=True)
        ):
            m2m["roles"] = roles
    changed = _apply(person, changes, PERSON_FIELDS)
    if "region" in changed:
        errors.check(_check_region, user, person.region_id)
    _full_clean(person, errors)
    errors.raise_if_any()
    if changed or m2m:
        _save(person, user=user, created=False, update_fields=PERSON_FIELDS, m2m=m2m)
    return person


@transaction.atomic
def person_delete(*, user: User, person: Person) -> None:
    """Deletes a person with their affiliations, consents and memberships."""
    _check_writer(user)
    _check_region(user, person.region_id)
    person._history_user = user  # type: ignore[attr-defined]
    person.delete()


# Affiliations ------------------------------------------------------------------------

AFFILIATION_FIELDS = ("role", "started_on", "ended_on")


def _check_visible(user: User, record: models.Model, field: str) -> None:
    manager = type(record)._default_manager
    if not manager.visible_to(user).filter(pk=record.pk).exists():
        raise ValidationError({field: _("No such record in your regions.")})


@transaction.atomic
def affiliation_add(
    *,
    user: User,
    person: Person,
    organisation: Organisation,
    role: str = "",
    started_on: date | None = None,
    ended_on: date | None = None,
    end_current: bool = False,
) -> Affiliation:
    """Links a person to an organisation. With ``end_current`` the person's
    other current affiliations end on the new one's start date (a change of
    employer), so the old ones stay on record."""
    _check_writer(user)
    errors = _Errors()
    errors.check(_check_region, user, person.region_id, "person")
    errors.check(_check_visible, user, organisation, "organisation")
    affiliation = Affiliation(
        person=person,
        organisation=organisation,
        role=role,
        started_on=started_on,
        ended_on=ended_on,
    )
    _full_clean(affiliation, errors)
    errors.raise_if_any()
    if end_current:
        switch_day = started_on or timezone.localdate()
        previous = (
            Affiliation.objects.filter(person=person)
            .current(switch_day)
            .exclude(organisation=organisation)
        )
        for old in previous:
            if old.started_on and old.started_on > switch_day:
                continue
            old.ended_on = switch_day
            _save(old, user=user, created=False, update_fields=["ended_on"])
    _save(affiliation, user=user, created=True)
    return affiliation


@transaction.atomic
def affiliation_update(
    *, user: User, affiliation: Affiliation, **changes: Any
) -> Affiliation:
    """Changes the role or the dates of an affiliation."""
    _check_writer(user)
    _check_region(user, affiliation.person.region_id, "person")
    changed = _apply(affiliation, changes, AFFILIATION_FIELDS)
    errors = _Errors()
    _full_clean(affiliation, errors)
    errors.raise_if_any()
    if changed:
        _save(affiliation, user=user, created=False, update_fields=changed)
    return affiliation


def affiliation_end(
    *, user: User, affiliation: Affiliation, ended_on: date | None = None
) -> Affiliation:
    """Ends an affiliation (today by default): the person left the organisation."""
    return affiliation_update(
        user=user,
        affiliation=affiliation,
        ended_on=ended_on or timezone.localdate(),
    )


@transaction.atomic
def affiliation_delete(*, user: User, affiliation: Affiliation) -> None:
    """Deletes an affiliation recorded by mistake (to record a departure, end it)."""
    _check_writer(user)
    _check_region(user, affiliation.person.region_id, "person")
    affiliation._history_user = user  # type: ignore[attr-defined]
    affiliation.delete()


# Consents ----------------------------------------------------------------------------

CONSENT_FIELDS = ("given_on", "channel", "evidence", "withdrawn_on")


def _check_not_future(day: date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _check_after_withdrawal(
    person: Person,
    purpose: str,
    given_on: date | None,
    consent: Consent | None = None,
) -> None:
    """A new consent for a purpose is dated on or after the person's latest
    withdrawal for it, and a consent's date is not moved back across a
    withdrawal: an earlier date would put back in force, over the days since
    the withdrawal, what the person took away."""
    if given_on is None:
        return
    withdrawals = Consent.objects.filter(
        person=person, purpose=purpose, withdrawn_on__isnull=False
    )
    if consent is not None:
        withdrawals = withdrawals.exclude(pk=consent.pk).filter(
            withdrawn_on__lte=consent.given_on
        )
    withdrawn_on = (
        withdrawals.order_by("-withdrawn_on")
        .values_list("withdrawn_on", flat=True)
        .first()
    )
    if withdrawn_on is None or given_on >= withdrawn_on:
        return
    if consent is None:
        message = _(
            "The consent for this purpose was withdrawn on %(date)s: a new "
            "consent must be dated on or after that day."
        )
    else:
        message = _(
            "The consent for this purpose was withdrawn on %(date)s: this "
            "consent's date cannot be moved before that day."
        )
    raise ValidationError({"given_on": message % {"date": date_format(withdrawn_on)}})


@transaction.atomic
def consent_record(
    *,
    user: User,
    person: Person,
    purpose: str,
    given_on: date,
    channel: str,
    evidence: str = "",
) -> Consent:
    """Records a person's consent for one purpose, as given on ``given_on``: not
    in the future, nor before the latest withdrawal of a consent for the same
    purpose."""
    _check_writer(user)
    errors = _Errors()
    errors.check(_check_region, user, person.region_id, "person")
    errors.check(_check_not_future, given_on, "given_on")
    errors.check(_check_after_withdrawal, person, purpose, given_on)
    consent = Consent(
        person=person,
        purpose=purpose,
        given_on=given_on,
        channel=channel,
        evidence=evidence,
        recorded_by=user,
    )
    _full_clean(consent, errors)
    errors.raise_if_any()
    _save(consent, user=user, created=True)
    return consent


@transaction.atomic
def consent_update(*, user: User, consent: Consent, **changes: Any) -> Consent:
    """Corrects a consent's date, channel or evidence, or records its withdrawal;
    a withdrawal cannot be undone (record a new consent instead)."""
    _check_writer(user)
    _check_region(user, consent.person.region_id, "person")
    was_withdrawn = consent.withdrawn_on
    errors = _Errors()
    if "given_on" in changes and changes["given_on"] != consent.given_on:
        errors.check(
            _check_after_withdrawal,
            consent.person,
            consent.purpose,
            changes["given_on"],
            consent,
        )
    changed = _apply(consent, changes, CONSENT_FIELDS)
    if was_withdrawn is not None and consent.withdrawn_on != was_withdrawn:
        errors.add(
            ValidationError(
                {
                    "withdrawn_on": _(
                        "A withdrawal cannot be changed; record a new consent if "
                        "the person gives it again."
                    )
                }
            )
        )
    for field in ("given_on", "withdrawn_on"):
        if field in changed:
            errors.check(_check_not_future, getattr(consent, field), field)
    _full_clean(consent, errors)
    errors.raise_if_any()
    if changed:
        _save(consent, user=user, created=False, update_fields=changed)
    return consent


def consent_withdraw(
    *, user: User, consent: Consent, withdrawn_on: date | None = None
) -> Consent:
    """Records that the person withdrew this consent (today by default); from
    that day they are excluded from this purpose, other purposes unaffected."""
    if consent.withdrawn_on is not None:
        raise ValidationError(
            {"withdrawn_on": _("This consent was already withdrawn.")}
        )
    return consent_update(
        user=user, consent=consent, withdrawn_on=withdrawn_on or timezone.localdate()
    )


# Communities -------------------------------------------------------------------------

COMMUNITY_FIELDS = ("name", "description", "coordinator", "status")


def _check_community_regions(
    user: User, old: set[int], new: set[int], errors: _Errors
) -> None:
    if not new:
        errors.add(ValidationError({"regions": _("Choose at least one region.")}))
        return
    if not user.is_partner:
        return
    own = _partner_region_ids(user)
    if (old ^ new) - own or not new & own:
        errors.add(
            ValidationError(
                {
                    "regions": _(
                        "You can only add or remove your own regions of a community."
                    )
                }
            )
        )


@transaction.atomic
def community_create(
    *,
    user: User,
    name: str,
    regions: Iterable[Region],
    description: str = "",
    sectors: Iterable[str] = (),
    coordinator: Person | None = None,
    status: str = Community.Status.ACTIVE,
) -> Community:
    """Forms a community in one or more regions."""
    _check_writer(user)
    regions = list(regions)
    errors = _Errors()
    _check_community_regions(user, set(), {region.pk for region in regions}, errors)
    if coordinator is not None:
        errors.check(_check_visible, user, coordinator, "coordinator")
    community = Community(
        name=name, description=description, coordinator=coordinator, status=status
    )
    resolved_sectors = errors.check(sector_resolve, sectors)
    _full_clean(community, errors)
    errors.raise_if_any()
    _save(
        community,
        user=user,
        created=True,
        m2m={"regions": regions, "sectors": resolved_sectors},
    )
    return community


@transaction.atomic
def community_update(*, user: User, community: Community, **changes: Any) -> Community:
    """Changes the given fields (any of ``COMMUNITY_FIELDS``, ``regions`` and
    ``sectors`` as names)."""
    _check_writer(user)
    errors = _Errors()
    old_regions = set(community.regions.values_list("pk", flat=True))
    _check_community_regions(user, old_regions, old_regions, errors)
    m2m: dict[str, list] = {}
    if "regions" in changes:
        regions = list(changes.pop("regions"))
        new_regions = {region.pk for region in regions}
        _check_community_regions(user, old_regions, new_regions, errors)
        if new_regions != old_regions:
            m2m["regions"] = regions
    if "sectors" in changes:
        sectors = (
            errors.check(
                sector_resolve, changes.pop("sectors"), community.sectors.all()
            )
            or []
        )
        if {sector.pk for sector in sectors} != set(
            community.sectors.values_list("pk", flat=True)
        ):
            m2m["sectors"] = sectors
    if "coordinator" in changes:
        _keep_a_hidden_coordinator(user, community, changes, errors)
    changed = _apply(community, changes, COMMUNITY_FIELDS)
    if "coordinator" in changed and community.coordinator is not None:
        errors.check(_check_visible, user, community.coordinator, "coordinator")
    _full_clean(community, errors)
    errors.raise_if_any()
    if changed or m2m:
        _save(
            community,
            user=user,
            created=False,
            update_fields=COMMUNITY_FIELDS,
            m2m=m2m,
        )
    return community


def _keep_a_hidden_coordinator(
    user: User, community: Community, changes: dict[str, Any], errors: _Errors
) -> None:
    """A partner reads another region's coordinator as empty, so an empty
    coordinator from them means "unchanged"; only the agency replaces one."""
    current = community.coordinator_id
    if current is None or Person.objects.visible_to(user).filter(pk=current).exists():
        return
    wanted = changes.pop("coordinator")
    if wanted is not None and wanted.pk != current:
        errors.add(
            ValidationError(
                {
                    "coordinator": _(
                        "The coordinator is from another region: only the agency "
                        "can change them."
                    )
                }
            )
        )


@transaction.atomic
def community_delete(*, user: User, community: Community) -> None:
    _check_writer(user)
    errors = _Errors()
    regions = set(community.regions.values_list("pk", flat=True))
    _check_community_regions(user, regions, regions, errors)
    if user.is_partner and regions - _partner_region_ids(user):
        errors.add(
            ValidationError(
                {
                    "regions": _(
                        "This community spans other regions too: ask the agency "
                        "to delete it."
                    )
                }
            )
        )
    errors.raise_if_any()
    community._history_user = user  # type: ignore[attr-defined]
    community.delete()


MEMBERSHIP_FIELDS = ("joined_on", "left_on", "status", "role")


def _member_region_id(membership: CommunityMembership) -> int | None:
    if membership.person_id:
        return membership.person.region_id
    if membership.organisation_id:
        return membership.organisation.region_id
    return None


@transaction.atomic
def membership_add(
    *,
    user: User,
    community: Community,
    person: Person | None = None,
    organisation: Organisation | None = None,
    joined_on: date | None = None,
    status: str = CommunityMembership.Status.ACTIVE,
    role: str = "",
) -> CommunityMembership:
    """Adds a person or an organisation (exactly one) to a community; a former
    member who comes back gets their membership active again."""
    _check_writer(user)
    errors = _Errors()
    errors.check(_check_visible, user, community, "community")
    membership = None
    if (person is None) == (organisation is None):
        errors.add(
            ValidationError(
                _(
                    "A member is either a person or an organisation: choose exactly "
                    "one of them."
                )
            )
        )
    else:
        member_field = "person" if person is not None else "organisation"
        member = person if person is not None else organisation
        errors.check(_check_region, user, member.region_id, member_field)
        membership = CommunityMembership.objects.filter(
            community=community, **{member_field: member}
        ).first()
    errors.raise_if_any()
    joined_on = joined_on or timezone.localdate()
    if membership is not None:
        if membership.status != CommunityMembership.Status.LEFT:
            field = "person" if person is not None else "organisation"
            raise ValidationError({field: _("Already a member of this community.")})
        return membership_update(
            user=user,
            membership=membership,
            joined_on=joined_on,
            left_on=None,
            status=status,
            role=role or membership.role,
        )
    membership = CommunityMembership(
        community=community,
        person=person,
        organisation=organisation,
        joined_on=joined_on,
        status=status,
        role=role,
    )
    _full_clean(membership, errors)
    errors.raise_if_any()
    _save(membership, user=user, created=True)
    return membership


@transaction.atomic
def membership_update(
    *, user: User, membership: CommunityMembership, **changes: Any
) -> CommunityMembership:
    """Changes a membership's dates, status or role."""
    _check_writer(user)
    _check_region(user, _member_region_id(membership), "community")
    changed = _apply(membership, changes, MEMBERSHIP_FIELDS)
    errors = _Errors()
    if membership.status == CommunityMembership.Status.LEFT and not membership.left_on:
        membership.left_on = max(timezone.localdate(), membership.joined_on)
        changed.append("left_on")
    if membership.status != CommunityMembership.Status.LEFT and membership.left_on:
        errors.add(
            ValidationError(
                {"left_on": _("Only a member who left has a date of leaving.")}
            )
        )
    _full_clean(membership, errors)
    errors.raise_if_any()
    if changed:
        _save(membership, user=user, created=False, update_fields=set(changed))
    return membership


def membership_remove(
    *, user: User, membership: CommunityMembership, left_on: date | None = None
) -> CommunityMembership:
    """Records that a member left (today by default); the membership stays on
    record as a past one."""
    return membership_update(
        user=user,
        membership=membership,
        status=CommunityMembership.Status.LEFT,
        left_on=left_on or max(timezone.localdate(), membership.joined_on),
    )


@transaction.atomic
def membership_delete(*, user: User, membership: CommunityMembership) -> None:
    """Deletes a membership recorded by mistake (a member who left is removed
    with ``membership_remove``)."""
    _check_writer(user)
    _check_region(user, _member_region_id(membership), "community")
    membership._history_user = user  # type: ignore[attr-defined]
    membership.delete()


# Interactions and follow-ups ---------------------------------------------------------


@dataclass(frozen=True)
class FollowUpInput:
    """A follow-up to record with an interaction."""

    description: str
    owner: User
    due_on: date


INTERACTION_FIELDS = ("kind", "occurred_on", "region", "topic", "summary", "decisions")


def _participants(
    user: User,
    people: Iterable[Person],
    organisations: Iterable[Organisation],
    staff: Iterable[User],
    errors: _Errors,
) -> None:
    people, organisations, staff = list(people), list(organisations), list(staff)
    for field, records, model in (
        ("people", people, Person),
        ("organisations", organisations, Organisation),
    ):
        ids = {record.pk for record in records}
        visible = model.objects.visible_to(user).filter(pk__in=ids).count()
        if visible != len(ids):
            errors.add(ValidationError({field: _("No such record in your regions.")}))
    if any(member.is_partner or not member.is_active for member in staff):
        errors.add(
            ValidationError(
                {"staff": _("Only active agency staff can be listed as staff.")}
            )
        )


def _hidden_from(user: User, queryset: models.QuerySet) -> list:
    visible = queryset.model.objects.visible_to(user).values("pk")
    return list(queryset.exclude(pk__in=visible))


def _check_owner(owner: User, region_id: int, field: str) -> None:
    if not owner.is_active:
        raise ValidationError({field: _("This user's account is closed.")})
    if owner.is_partner and region_id not in _partner_region_ids(owner):
        raise ValidationError(
            {
                field: _(
                    "This regional partner does not work in the interaction's region."
                )
            }
        )


@transaction.atomic
def interaction_record(
    *,
    user: User,
    kind: str,
    occurred_on: date,
    region: Region,
    topic: str,
    summary: str = "",
    decisions: str = "",
    people: Iterable[Person] = (),
    organisations: Iterable[Organisation] = (),
    staff: Iterable[User] = (),
    follow_ups: Sequence[FollowUpInput] = (),
) -> Interaction:
    """Records a meeting, call, letter... with its participants (people and
    organisations the user may see, agency staff) and the follow-ups it left."""
    _check_writer(user)
    people, organisations, staff = list(people), list(organisations), list(staff)
    errors = _Errors()
    errors.check(_check_region, user, region.pk if region else None)
    _participants(user, people, organisations, staff, errors)
    interaction = Interaction(
        kind=kind,
        occurred_on=occurred_on,
        region=region,
        topic=topic,
        summary=summary,
        decisions=decisions,
        created_by=user,
    )
    _full_clean(interaction, errors)
    follow_up_rows = []
    for index, item in enumerate(follow_ups):
        field = f"follow_ups.{index}"
        follow_up = FollowUp(
            description=item.description, owner=item.owner, due_on=item.due_on
        )
        if region is not None:
            errors.check(_check_owner, item.owner, region.pk, f"{field}.owner")
        try:
            follow_up.full_clean(exclude=["interaction"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.by_field.setdefault(f"{field}.{name}", []).extend(messages)
        follow_up_rows.append(follow_up)
    errors.raise_if_any()
    _save(
        interaction,
        user=user,
        created=True,
        m2m={"people": people, "organisations": organisations, "staff": staff},
    )
    for follow_up in follow_up_rows:
        follow_up.interaction = interaction
        _save(follow_up, user=user, created=True)
    return interaction


@transaction.atomic
def interaction_update(
    *, user: User, interaction: Interaction, **changes: Any
) -> Interaction:
    """Changes the given fields (any of ``INTERACTION_FIELDS``, ``people``,
    ``organisations``, ``staff``)."""
    _check_writer(user)
    _check_region(user, interaction.region_id)
    errors = _Errors()
    m2m: dict[str, list] = {}
    given: dict[str, list] = {}
    for name in ("people", "organisations", "staff"):
        if name not in changes:
            continue
        given[name] = list(changes.pop(name))
        values = list(given[name])
        if name != "staff":
            # A partner does not see participants from other regions, so what
            # they send cannot drop them.
            values += _hidden_from(user, getattr(interaction, name).all())
        if {value.pk for value in values} != set(
            getattr(interaction, name).values_list("pk", flat=True)
        ):
            m2m[name] = values
    _participants(
        user,
        given.get("people", ()),
        given.get("organisations", ()),
        given.get("staff", ()),
        errors,
    )
    changed = _apply(interaction, changes, INTERACTION_FIELDS)
    if "region" in changed:
        errors.check(_check_region, user, interaction.region_id)
    _full_clean(interaction, errors)
    errors.raise_if_any()
    if changed or m2m:
        _save(
            interaction,
            user=user,
            created=False,
            update_fields=INTERACTION_FIELDS,
            m2m=m2m,
        )
    return interaction


@transaction.atomic
def interaction_delete(*, user: User, interaction: Interaction) -> None:
    """Deletes an interaction with its follow-ups and attachments (their files
    are removed from the disk once the transaction commits)."""
    _check_writer(user)
    _check_region(user, interaction.region_id)
    files = [attachment.file.name for attachment in interaction.attachments.all()]
    storage = InteractionAttachment._meta.get_field("file").storage
    interaction._history_user = user  # type: ignore[attr-defined]
    interaction.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


@transaction.atomic
def attachment_add(
    *, user: User, interaction: Interaction, file: UploadedFile
) -> InteractionAttachment:
    """Stores a file of an interaction in the data folder's media."""
    _check_writer(user)
    _check_region(user, interaction.region_id, "interaction")
    if file.size and file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(size)s MB.")
                % {"size": ATTACHMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    attachment = InteractionAttachment(
        interaction=interaction,
        file=file,
        name=(file.name or "")[:255],
        size=file.size or 0,
        uploaded_by=user,
    )
    errors = _Errors()
    _full_clean(attachment, errors)
    errors.raise_if_any()
    _save(attachment, user=user, created=True)
    return attachment


@transaction.atomic
def attachment_delete(*, user: User, attachment: InteractionAttachment) -> None:
    _check_writer(user)
    _check_region(user, attachment.interaction.region_id, "interaction")
    name, storage = attachment.file.name, attachment.file.storage
    attachment._history_user = user  # type: ignore[attr-defined]
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


FOLLOW_UP_FIELDS = ("description", "owner", "due_on", "status", "closed_on")


@transaction.atomic
def follow_up_add(
    *,
    user: User,
    interaction: Interaction,
    description: str,
    owner: User,
    due_on: date,
) -> FollowUp:
    """Adds a follow-up to an interaction."""
    _check_writer(user)
    errors = _Errors()
    errors.check(_check_region, user, interaction.region_id, "interaction")
    errors.check(_check_owner, owner, interaction.region_id, "owner")
    follow_up = FollowUp(
        interaction=interaction, description=description, owner=owner, due_on=due_on
    )
    _full_clean(follow_up, errors)
    errors.raise_if_any()
    _save(follow_up, user=user, created=True)
    return follow_up


@transaction.atomic
def follow_up_update(*, user: User, follow_up: FollowUp, **changes: Any) -> FollowUp:
    """Changes the given fields of a follow-up; closing it (done or cancelled)
    dates it today unless a date is given (not a future one), reopening clears
    the date."""
    _check_writer(user)
    _check_region(user, follow_up.interaction.region_id, "interaction")
    changed = _apply(follow_up, changes, FOLLOW_UP_FIELDS)
    errors = _Errors()
    if "owner" in changed:
        errors.check(
            _check_owner, follow_up.owner, follow_up.interaction.region_id, "owner"
        )
    if follow_up.status == FollowUp.Status.OPEN and follow_up.closed_on is not None:
        follow_up.closed_on = None
        changed.append("closed_on")
    elif follow_up.status != FollowUp.Status.OPEN and follow_up.closed_on is None:
        follow_up.closed_on = timezone.localdate()
        changed.append("closed_on")
    if {"status", "closed_on"} & set(changed):
        errors.check(_check_not_future, follow_up.closed_on, "closed_on")
    _full_clean(follow_up, errors)
    errors.raise_if_any()
    if changed:
        _save(follow_up, user=user, created=False, update_fields=set(changed))
    return follow_up


def follow_up_set_status(
    *, user: User, follow_up: FollowUp, status: str, closed_on: date | None = None
) -> FollowUp:
    """Marks a follow-up done, cancelled or open again."""
    changes: dict[str, Any] = {"status": status}
    if status != FollowUp.Status.OPEN:
        changes["closed_on"] = closed_on or timezone.localdate()
    return follow_up_update(user=user, follow_up=follow_up, **changes)


@transaction.atomic
def follow_up_delete(*, user: User, follow_up: FollowUp) -> None:
    _check_writer(user)
    _check_region(user, follow_up.interaction.region_id, "interaction")
    follow_up._history_user = user  # type: ignore[attr-defined]
    follow_up.delete()


# Exports ---------------------------------------------------------------------------

PERSON_EXPORT_FIELDS = (
    "surname",
    "first_name",
    "patronymic",
    "position",
    "region",
    "phone",
    "email",
    "telegram",
    "roles",
)


@dataclass(frozen=True)
class PeopleExport:
    """The rows of a people export and how many people were left out for want of
    consent (``excluded``, to tell the user)."""

    headers: list[str]
    rows: list[list[str]]
    excluded: int


def person_export(
    *,
    user: User,
    people: models.QuerySet[Person],
    purpose: str,
    query: str = "",
    file_format: str = "xlsx",
) -> PeopleExport:
    """The rows of ``people`` (a list the user sees, already filtered) for a file,
    only those whose consent for ``purpose`` is in force today, and the export
    written to the personal-data log with ``query`` (the list's filter). Only
    the roles of ``PERSON_EXPORT_ROLES`` may export."""
    if not user_can_export_people(user):
        raise PermissionDenied(
            _("Your role does not allow exporting people's personal data.")
        )
    if purpose not in Consent.Purpose.values:
        raise ValidationError({"purpose": _("Choose the purpose of the export.")})
    eligibility = person_consent_eligibility(user=user, purpose=purpose, people=people)
    headers = [
        str(Person._meta.get_field(name).verbose_name) for name in PERSON_EXPORT_FIELDS
    ]
    rows = [
        [
            person.surname,
            person.first_name,
            person.patronymic,
            person.position,
            str(person.region),
            person.phone,
            person.email,
            person.telegram,
            ", ".join(str(role) for role in person.roles.all()),
        ]
        for person in eligibility.eligible.select_related("region").prefetch_related(
            "roles"
        )
    ]
    personal_data_export_log(
        user=user,
        dataset="community.person",
        query=query,
        row_count=len(rows),
        purpose=purpose,
        file_format=file_format,
    )
    return PeopleExport(
        headers=headers, rows=rows, excluded=eligibility.excluded.count()
    )


# People who sign up themselves ----------------------------------------------------


def person_from_self_registration(
    *,
    surname: str,
    first_name: str,
    region: Region,
    email: str,
    phone: str = "",
    patronymic: str = "",
    position: str = "",
    consent_evidence: str,
) -> tuple[Person, Consent]:
    """The person behind a public registration form: found by e-mail or phone, or
    recorded; with their consent to the processing of their data, given today
    through the form. A match keeps its record as staff wrote it (a form anyone can
    fill must not overwrite it) and only fills its empty contacts."""
    email, phone = normalise_email(email), normalise_phone(phone)
    today = timezone.localdate()
    errors = _Errors()
    with transaction.atomic():
        match = models.Q(email__iexact=email) if email else models.Q(pk__in=[])
        if phone:
            match |= models.Q(phone=phone)
        person = Person.objects.filter(match).order_by("pk").first()
        if person is None:
            person = Person(
                surname=surname,
                first_name=first_name,
                patronymic=patronymic,
                position=position,
                email=email,
                phone=phone,
                region=region,
            )
            _full_clean(person, errors)
            errors.raise_if_any()
            person.save()
        else:
            filled = [
                name
                for name, value in (("email", email), ("phone", phone))
                if value and not getattr(person, name)
            ]
            for name in filled:
                setattr(person, name, email if name == "email" else phone)
            if filled:
                _full_clean(person, errors)
                errors.raise_if_any()
                person.save(update_fields=filled)
        purpose = Consent.Purpose.PROCESSING
        consent = Consent.objects.valid_on(today, purpose).filter(person=person).first()
        if consent is None:
            consent = Consent.objects.create(
                person=person,
                purpose=purpose,
                given_on=today,
                channel=Consent.Channel.EVENT_REGISTRATION,
                evidence=consent_evidence[:500],
            )
    return person, consent
