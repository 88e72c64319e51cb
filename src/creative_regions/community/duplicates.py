"""Likely duplicates among organisations and people, and the merge of two records.

Two records are likely the same when they share an identifier (INN, OGRN), a
contact (e-mail, phone) or a name once legal forms, quotes, case and ё are set
aside, in the same region. Finding them only reads; ``organisation_merge`` and
``person_merge`` are services: they move every relation of the merged record to
the one that stays, keep both histories and delete the merged record, in one
transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creative_regions.community.models import (
    Affiliation,
    CommunityMembership,
    Consent,
    Organisation,
    Person,
)
from creative_regions.community.services import (
    ORGANISATION_FIELDS,
    PERSON_FIELDS,
    user_can_write,
)
from creative_regions.core.models import User

# Names -------------------------------------------------------------------------

# Legal forms as written in names, in words as ``comparable_words`` leaves them:
# dropped so that «ООО "Студия"», "Студия, ООО" and "студия" read the same.
LEGAL_FORM_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "общество с ограниченной ответственностью",
        "публичное акционерное общество",
        "непубличное акционерное общество",
        "закрытое акционерное общество",
        "открытое акционерное общество",
        "акционерное общество",
        "индивидуальный предприниматель",
        "автономная некоммерческая организация",
        "некоммерческое партнерство",
        "глава крестьянского фермерского хозяйства",
        "крестьянское фермерское хозяйство",
        "limited liability company",
        "ооо",
        "оао",
        "зао",
        "пао",
        "нао",
        "ао",
        "ип",
        "ано",
        "нп",
        "кфх",
        "гуп",
        "муп",
        "фгуп",
        "llc",
        "ltd",
        "inc",
        "jsc",
    )
)
_LONGEST_PHRASE = max(len(phrase) for phrase in LEGAL_FORM_PHRASES)
_WORD = re.compile(r"[^\W_]+")


def comparable_words(text: str) -> list[str]:
    """Words of ``text`` compared as people read them: case, ё/е, quotes,
    punctuation and spacing set aside."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return _WORD.findall(folded)


def organisation_name_key(name: str) -> str:
    """An organisation's name as compared for duplicates: its words without the
    legal form ("ООО", "Общество с ограниченной ответственностью"...); empty
    when nothing else is left."""
    words = comparable_words(name)
    changed = True
    # Dropping one form can bring two words of another together; repeat until
    # none is left, so the key of a key is the key itself.
    while changed:
        changed = False
        for size in range(_LONGEST_PHRASE, 0, -1):
            kept: list[str] = []
            index = 0
            while index < len(words):
                if tuple(words[index : index + size]) in LEGAL_FORM_PHRASES:
                    index += size
                    changed = True
                else:
                    kept.append(words[index])
                    index += 1
            words = kept
    return " ".join(words)


def person_name_key(*parts: str) -> str:
    """A person's full name (surname, name, patronymic) as compared for
    duplicates."""
    return " ".join(word for part in parts for word in comparable_words(part or ""))


def email_key(email: str) -> str:
    # Mail services treat the local part without regard to case, whatever the
    # RFC allows.
    return (email or "").strip().casefold()


# Finding duplicates ------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateReason:
    rule: str
    label: str
    value: str


@dataclass(frozen=True)
class DuplicateGroup:
    """Records that are likely one, oldest first, with why they look alike."""

    records: list[Any]
    reasons: list[DuplicateReason]

    @property
    def oldest(self) -> Any:
        return self.records[0]

    @property
    def rest(self) -> list[Any]:
        return self.records[1:]


RULE_LABELS = {
    "inn": gettext_lazy("Same INN"),
    "ogrn": gettext_lazy("Same OGRN"),
    "name": gettext_lazy("Same name in the region"),
    "email": gettext_lazy("Same e-mail"),
    "phone": gettext_lazy("Same phone"),
    "full_name": gettext_lazy("Same full name in the region"),
}


def _digits(value: str | None) -> str:
    return "".join(character for character in value or "" if character.isdigit())


def _clusters(
    keys: Iterable[tuple[int, Iterable[tuple[str, Any]]]],
) -> list[tuple[set[int], list[tuple[str, Any]]]]:
    """Groups record ids that share any key, and the keys they share: one
    group per set of records, however many rules bring them together."""
    buckets: dict[tuple[str, Any], list[int]] = {}
    for pk, record_keys in keys:
        for key in set(record_keys):
            buckets.setdefault(key, []).append(pk)
    parent: dict[int, int] = {}

    def root(pk: int) -> int:
        while parent.setdefault(pk, pk) != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    shared = {key: ids for key, ids in buckets.items() if len(ids) > 1}
    for ids in shared.values():
        first = root(ids[0])
        for pk in ids[1:]:
            parent[root(pk)] = first
    groups: dict[int, tuple[set[int], list[tuple[str, Any]]]] = {}
    for key, ids in shared.items():
        group = groups.setdefault(root(ids[0]), (set(), []))
        group[0].update(ids)
        group[1].append(key)
    return list(groups.values())


def _groups(
    queryset: models.QuerySet,
    keys: Iterable[tuple[int, Iterable[tuple[str, Any]]]],
    describe,
) -> list[DuplicateGroup]:
    clusters = _clusters(keys)
    wanted = {pk for ids, _keys in clusters for pk in ids}
    records = queryset.filter(pk__in=wanted).in_bulk() if wanted else {}
    groups = []
    for ids, shared in clusters:
        members = [records[pk] for pk in sorted(ids) if pk in records]
        if len(members) < 2:
            continue
        reasons = sorted(
            {describe(rule, value, members) for rule, value in shared},
            key=lambda reason: (list(RULE_LABELS).index(reason.rule), reason.value),
        )
        groups.append(DuplicateGroup(records=members, reasons=reasons))
    return sorted(groups, key=lambda group: (str(group.oldest), group.oldest.pk))


def _region_name(members: Sequence[Any], region_id: int) -> str:
    return next(
        (str(record.region) for record in members if record.region_id == region_id),
        "",
    )


def organisation_duplicate_groups(*, user: User) -> list[DuplicateGroup]:
    """Organisations the user may see that are likely the same: the same INN or
    OGRN, or the same name (full or short, without the legal form) in the same
    region."""
    queryset = Organisation.objects.visible_to(user)
    rows = queryset.values_list(
        "pk", "inn", "ogrn", "full_name", "short_name", "region_id"
    ).order_by("pk")

    def keys(row) -> list[tuple[str, Any]]:
        _pk, inn, ogrn, full_name, short_name, region_id = row
        found: list[tuple[str, Any]] = []
        # Compared by digits: rows written before INNs were normalised may
        # still hold spaces.
        if _digits(inn):
            found.append(("inn", _digits(inn)))
        if _digits(ogrn):
            found.append(("ogrn", _digits(ogrn)))
        for name in (full_name, short_name):
            key = organisation_name_key(name or "")
            if key:
                found.append(("name", (region_id, key)))
        return found

    def describe(rule: str, value: Any, members) -> DuplicateReason:
        if rule == "name":
            value = _region_name(members, value[0])
        return DuplicateReason(rule=rule, label=str(RULE_LABELS[rule]), value=value)

    return _groups(
        queryset.select_related("region"),
        ((row[0], keys(row)) for row in rows.iterator()),
        describe,
    )


def person_duplicate_groups(*, user: User) -> list[DuplicateGroup]:
    """People the user may see that are likely the same: the same e-mail, the
    same phone, or the same full name in the same region."""
    queryset = Person.objects.visible_to(user)
    rows = queryset.values_list(
        "pk", "email", "phone", "surname", "first_name", "patronymic", "region_id"
    ).order_by("pk")

    def keys(row) -> list[tuple[str, Any]]:
        _pk, email, phone, surname, first_name, patronymic, region_id = row
        found: list[tuple[str, Any]] = []
        if email_key(email):
            found.append(("email", email_key(email)))
        if phone:
            found.append(("phone", phone))
        name = person_name_key(surname, first_name, patronymic)
        if name:
            found.append(("full_name", (region_id, name)))
        return found

    def describe(rule: str, value: Any, members) -> DuplicateReason:
        if rule == "full_name":
            value = _region_name(members, value[0])
        return DuplicateReason(rule=rule, label=str(RULE_LABELS[rule]), value=value)

    return _groups(
        queryset.select_related("region"),
        ((row[0], keys(row)) for row in rows.iterator()),
        describe,
    )


# The record's own many-to-many fields, united on the survivor.
_OWN_M2M = {Organisation: ("sectors", "tags"), Person: ("roles",)}


def record_relation_counts(record: models.Model) -> list[tuple[str, int]]:
    """How many related rows of each kind a record has (all of them, whatever
    region they belong to): what a merge would move."""
    counts = []
    for relation in type(record)._meta.related_objects:
        manager = relation.related_model._base_manager
        number = manager.filter(**{relation.field.name: record}).count()
        counts.append((str(relation.related_model._meta.verbose_name_plural), number))
    for name in _OWN_M2M[type(record)]:
        model_field = record._meta.get_field(name)
        counts.append((str(model_field.verbose_name), getattr(record, name).count()))
    return counts


# Merging -----------------------------------------------------------------------


@dataclass(frozen=True)
class MergeOutcome:
    """The record that stayed, the id of the one merged into it, and how many
    related rows moved over by relation (``affiliations``, ``memberships``...);
    ``dropped``: those the survivor already had, e.g. a membership of the same
    community."""

    survivor: Any
    merged_id: int
    moved: dict[str, int]
    dropped: dict[str, int]


_REASON_LENGTH = 100


def _stamp(instance: models.Model, user: User, reason: str) -> None:
    instance._history_user = user  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]


def _record_history(instance: models.Model) -> None:
    """One history entry for a row whose relations changed with the history
    switched off; the history's receiver listens to ``post_save``."""
    if hasattr(type(instance), "history"):
        post_save.send(
            sender=type(instance),
            instance=instance,
            created=False,
            update_fields=None,
            raw=False,
            using=instance._state.db,
        )


def _count(counter: dict[str, int], key: str) -> None:
    counter[key] = counter.get(key, 0) + 1


def _combine_memberships(
    kept: CommunityMembership, merged: CommunityMembership
) -> list[str]:
    """The survivor's membership of a community both were in, widened to cover
    the other's: joined at the earlier date, active if either was."""
    changed = []
    if merged.joined_on < kept.joined_on:
        kept.joined_on = merged.joined_on
        changed.append("joined_on")
    order = [
        CommunityMembership.Status.LEFT,
        CommunityMembership.Status.CANDIDATE,
        CommunityMembership.Status.ACTIVE,
    ]
    if order.index(merged.status) > order.index(kept.status):
        kept.status = merged.status
        changed.append("status")
        if kept.status != CommunityMembership.Status.LEFT and kept.left_on:
            kept.left_on = None
            changed.append("left_on")
    elif (
        kept.status == merged.status == CommunityMembership.Status.LEFT
        and merged.left_on
        and kept.left_on
        and merged.left_on > kept.left_on
    ):
        kept.left_on = merged.left_on
        changed.append("left_on")
    if not kept.role and merged.role:
        kept.role = merged.role
        changed.append("role")
    return changed


class _Merge:
    """Moves every relation of ``other`` to ``survivor``; each moved row keeps
    its history, stamped with the user and the merge."""

    def __init__(
        self, *, user: User, survivor: models.Model, other: models.Model, reason: str
    ) -> None:
        self.user = user
        self.survivor = survivor
        self.other = other
        self.reason = reason
        self.moved: dict[str, int] = {}
        self.dropped: dict[str, int] = {}

    def run(self) -> None:
        for relation in type(self.other)._meta.related_objects:
            key = relation.get_accessor_name()
            if relation.many_to_many:
                self._move_many(relation, key)
            else:
                self._move_foreign(relation, key)

    def _drop(self, instance: models.Model, key: str) -> None:
        _stamp(instance, self.user, self.reason)
        instance.delete()
        _count(self.dropped, key)

    def _move_foreign(self, relation, key: str) -> None:
        field = relation.field
        related = relation.related_model._base_manager.filter(
            **{field.name: self.other}
        ).order_by("pk")
        for instance in related:
            if isinstance(instance, CommunityMembership) and self._membership_kept(
                instance, field.name, key
            ):
                continue
            if isinstance(instance, Consent) and self._consent_kept(instance, key):
                continue
            if isinstance(instance, Affiliation) and self._affiliation_known(
                instance, field.name, key
            ):
                continue
            setattr(instance, field.name, self.survivor)
            try:
                instance.validate_unique()
                instance.validate_constraints()
            except ValidationError as error:
                raise ValidationError(
                    {
                        "other": _(
                            "%(relation)s of the merged record cannot move: %(problem)s"
                        )
                        % {
                            "relation": capfirst(
                                relation.related_model._meta.verbose_name_plural
                            ),
                            "problem": " ".join(error.messages),
                        }
                    }
                ) from error
            _stamp(instance, self.user, self.reason)
            instance.save(update_fields=[field.name])
            _count(self.moved, key)

    def _membership_kept(
        self, membership: CommunityMembership, field_name: str, key: str
    ) -> bool:
        """Whether the survivor already was in this community; its membership
        then takes in this one's dates and status, and this one goes."""
        kept = (
            CommunityMembership.objects.filter(
                community_id=membership.community_id,
                **{field_name: self.survivor},
            )
            .order_by("pk")
            .first()
        )
        if kept is None:
            return False
        changed = _combine_memberships(kept, membership)
        self._drop(membership, key)
        if changed:
            kept.full_clean()
            _stamp(kept, self.user, self.reason)
            kept.save(update_fields=changed)
        return True

    def _affiliation_known(
        self, affiliation: Affiliation, field_name: str, key: str
    ) -> bool:
        """The same role at the same place over the same period, recorded on
        both records, stays once."""
        counterpart = "organisation" if field_name == "person" else "person"
        is_known = Affiliation.objects.filter(
            **{
                field_name: self.survivor,
                counterpart: getattr(affiliation, f"{counterpart}_id"),
                "role": affiliation.role,
                "started_on": affiliation.started_on,
                "ended_on": affiliation.ended_on,
            }
        ).exists()
        if is_known:
            self._drop(affiliation, key)
        return is_known

    def _consent_kept(self, consent: Consent, key: str) -> bool:
        """Two consents in force for one purpose cannot both stay: the one given
        earlier does, as it proves consent for longer; the other is deleted
        (its history keeps it)."""
        if consent.withdrawn_on is not None:
            return False
        open_one = Consent.objects.filter(
            person=self.survivor, purpose=consent.purpose, withdrawn_on__isnull=True
        ).first()
        if open_one is None:
            return False
        if consent.given_on < open_one.given_on:
            self._drop(open_one, key)
            return False
        self._drop(consent, key)
        return True

    def _move_many(self, relation, key: str) -> None:
        # Changed from the side that declares the field, which is the side
        # whose history records its many-to-many values.
        field = relation.field
        owners = relation.related_model._base_manager.filter(
            **{field.name: self.other}
        ).order_by("pk")
        for owner in owners:
            manager = getattr(owner, field.name)
            _stamp(owner, self.user, self.reason)
            owner.skip_history_when_saving = True  # type: ignore[attr-defined]
            try:
                manager.remove(self.other)
                if manager.filter(pk=self.survivor.pk).exists():
                    _count(self.dropped, key)
                else:
                    manager.add(self.survivor)
                    _count(self.moved, key)
            finally:
                del owner.skip_history_when_saving  # type: ignore[attr-defined]
            _record_history(owner)


def _merge(
    *,
    user: User,
    survivor: models.Model,
    other: models.Model,
    fields: Sequence[str],
    fields_from_other: Collection[str],
) -> MergeOutcome:
    model = type(survivor)
    if not user_can_write(user):
        raise PermissionDenied(
            _("Your role does not allow changing community records.")
        )
    if type(other) is not model:
        raise TypeError("Only two records of the same kind can be merged.")
    if survivor.pk == other.pk:
        raise ValidationError({"other": _("A record cannot be merged with itself.")})
    unknown = sorted(set(fields_from_other) - set(fields))
    if unknown:
        raise ValidationError(
            {
                "fields_from_other": _("These fields cannot be taken over: %(names)s.")
                % {"names": ", ".join(unknown)}
            }
        )
    # Both read afresh and locked, so a concurrent edit cannot slip in between;
    # a partner reaches only records of their regions.
    locked = (
        model.objects.visible_to(user)
        .select_for_update()
        .filter(pk__in=[survivor.pk, other.pk])
        .in_bulk()
    )
    if survivor.pk not in locked:
        raise ValidationError({"survivor": _("No such record in your regions.")})
    if other.pk not in locked:
        raise ValidationError({"other": _("No such record in your regions.")})
    survivor, other = locked[survivor.pk], locked[other.pk]

    changed = [
        name
        for name in fields
        if name in fields_from_other and getattr(survivor, name) != getattr(other, name)
    ]
    for name in changed:
        setattr(survivor, name, getattr(other, name))
    # Checked before anything moves; uniqueness only once the other record,
    # which may hold the INN taken over, is gone.
    survivor.full_clean(validate_unique=False)

    reason = Truncator(
        _("Merged with #%(id)s %(name)s") % {"id": other.pk, "name": other}
    ).chars(_REASON_LENGTH)
    merge = _Merge(user=user, survivor=survivor, other=other, reason=reason)
    merge.run()

    own_m2m = {
        name: set(getattr(survivor, name).values_list("pk", flat=True))
        | set(getattr(other, name).values_list("pk", flat=True))
        for name in _OWN_M2M[model]
    }
    merged_id = other.pk
    _stamp(
        other,
        user,
        Truncator(
            _("Merged into #%(id)s %(name)s") % {"id": survivor.pk, "name": survivor}
        ).chars(_REASON_LENGTH),
    )
    other.delete()

    survivor.full_clean()
    _stamp(survivor, user, reason)
    survivor.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        survivor.save()
        for name, ids in own_m2m.items():
            getattr(survivor, name).set(sorted(ids))
    finally:
        del survivor.skip_history_when_saving  # type: ignore[attr-defined]
    _record_history(survivor)
    return MergeOutcome(
        survivor=survivor, merged_id=merged_id, moved=merge.moved, dropped=merge.dropped
    )


@transaction.atomic
def organisation_merge(
    *,
    user: User,
    survivor: Organisation,
    other: Organisation,
    fields_from_other: Collection[str] = (),
) -> MergeOutcome:
    """Merges ``other`` into ``survivor``: the fields named in
    ``fields_from_other`` take the other's values, the other's affiliations,
    community memberships, interactions, sectors and tags move to the survivor,
    and the other is deleted. Both histories stay; the survivor's records the
    merge. Only the writer roles may merge, a partner within their regions."""
    return _merge(
        user=user,
        survivor=survivor,
        other=other,
        fields=ORGANISATION_FIELDS,
        fields_from_other=fields_from_other,
    )


@transaction.atomic
def person_merge(
    *,
    user: User,
    survivor: Person,
    other: Person,
    fields_from_other: Collection[str] = (),
) -> MergeOutcome:
    """Merges ``other`` into ``survivor`` as ``organisation_merge`` does, moving
    the other's affiliations, consents, memberships, interactions, coordinated
    communities and roles. Two consents in force for one purpose keep the one
    given earlier."""
    return _merge(
        user=user,
        survivor=survivor,
        other=other,
        fields=PERSON_FIELDS,
        fields_from_other=fields_from_other,
    )
