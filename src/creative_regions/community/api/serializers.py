"""Shapes of the community API. They check the form of the input only; the rules
(identifiers, regions, consents...) are the services' and apply to every door."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
    Tag,
)
from creative_regions.core.models import User
from creative_regions.geo.models import Region


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A record by id among those the requesting user may see: another region's
    record is "not found" for a partner, as in the lists."""

    def __init__(self, *, model: type, **kwargs: Any) -> None:
        self.model = model
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        if request is None:
            return self.model.objects.none()
        return self.model.objects.visible_to(request.user)


class VisibleRecordField(VisibleRelatedField):
    """``VisibleRelatedField`` that reads the related record, not its id: the
    selectors fetch a relation through ``visible_to``, so another region's
    record is left unset and reads null here, neither named nor linked."""

    def use_pk_only_optimization(self) -> bool:
        return False


class VisibleRecordFieldSchema(OpenApiSerializerFieldExtension):
    """In answers a ``VisibleRecordField`` may be null (a record the user may
    not see), whatever the input requires."""

    target_class = VisibleRecordField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
        schema = auto_schema._map_serializer_field(
            self.target, direction, bypass_extensions=True
        )
        return {**schema, "nullable": True} if direction == "response" else schema


class VisibleRecordIdField(serializers.PrimaryKeyRelatedField):
    """A read-only relation read as ``VisibleRecordField`` reads it: null for a
    record the user may not see."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def use_pk_only_optimization(self) -> bool:
        return False


class OrganisationNameField(serializers.CharField):
    """The name of the row's organisation, or "an organisation from another
    region" when the user may not see it (the selector left it unset)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> str:
        try:
            return instance.organisation.name
        except ObjectDoesNotExist:
            return gettext("an organisation from another region")


class CodeField(serializers.SlugRelatedField):
    """A relation written by its code; a code with a NUL character is simply not
    found (PostgreSQL refuses to compare with such text)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class RegionField(CodeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Region code, e.g. 16.")
        super().__init__(slug_field="code", queryset=Region.objects.all(), **kwargs)


class NamesField(serializers.ListField):
    """A many-to-many relation read and written as a list of names."""

    def __init__(self, *, attribute: str, max_length: int, **kwargs: Any) -> None:
        self.attribute = attribute
        kwargs.setdefault("required", False)
        super().__init__(child=serializers.CharField(max_length=max_length), **kwargs)

    def get_attribute(self, instance: Any) -> list[str]:
        related = getattr(instance, self.source).all()
        return [getattr(item, self.attribute) for item in related]


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def agency_staff() -> QuerySet[User]:
    return User.objects.filter(is_active=True).exclude(role=User.Role.PARTNER)


def _display(choice_field: str) -> Callable:
    return serializers.CharField(source=f"get_{choice_field}_display", read_only=True)


# Organisations and people -------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    kind_name = _display("kind")
    status_name = _display("status")
    region = RegionField()
    # Free text here: the services normalise and check identifiers and links.
    inn = serializers.CharField(
        max_length=20, required=False, allow_blank=True, allow_null=True
    )
    ogrn = serializers.CharField(max_length=20, required=False, allow_blank=True)
    website = serializers.CharField(max_length=300, required=False, allow_blank=True)
    telegram = serializers.CharField(max_length=100, required=False, allow_blank=True)
    vk = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sectors = NamesField(
        attribute="name", max_length=200, help_text="Creative sectors by name."
    )
    tags = NamesField(attribute="name", max_length=100)

    class Meta:
        model = Organisation
        fields = (
            "id",
            "full_name",
            "short_name",
            "kind",
            "kind_name",
            "inn",
            "ogrn",
            "region",
            "city",
            "address",
            "website",
            "telegram",
            "vk",
            "sectors",
            "tags",
            "description",
            "status",
            "status_name",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "created_at", "updated_at")


class OrganisationBriefSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = ("id", "full_name", "short_name", "kind", "inn", "region")
        read_only_fields = fields


class OrganisationFromRegisterSerializer(serializers.Serializer):
    inn = serializers.CharField(max_length=20)
    region = RegionField(
        required=False,
        allow_null=True,
        help_text="Region code; by default the firm's region in the register.",
    )
    name = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="The name to use when the register store does not list the firm.",
    )
    sectors = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False
    )


class OrganisationFromRegisterResultSerializer(serializers.Serializer):
    organisation = OrganisationSerializer()
    created = serializers.BooleanField()
    snapshot = serializers.DateField(
        allow_null=True, help_text="The register snapshot its facts come from."
    )


class RegisterSnapshotSerializer(serializers.Serializer):
    snapshot = serializers.DateField()
    name = serializers.CharField(allow_null=True)
    kind = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    region_code = serializers.CharField()
    okved_main = serializers.CharField(allow_null=True)
    employees = serializers.IntegerField(allow_null=True)
    included_date = serializers.DateField(allow_null=True)
    ogrn = serializers.CharField(allow_null=True)
    city = serializers.CharField(allow_null=True)


class RegisterFactsSerializer(serializers.Serializer):
    inn = serializers.CharField()
    first_seen = serializers.DateField()
    category = serializers.CharField(source="latest.category", allow_null=True)
    category_name = serializers.CharField(source="category_label")
    main_activity = serializers.CharField(allow_null=True)
    main_activity_sectors = serializers.ListField(child=serializers.CharField())
    snapshots = RegisterSnapshotSerializer(many=True)


class CurrentAffiliationSerializer(serializers.ModelSerializer):
    organisation = VisibleRecordIdField()
    organisation_name = OrganisationNameField()

    class Meta:
        model = Affiliation
        fields = ("id", "organisation", "organisation_name", "role", "started_on")
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    region = RegionField()
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    telegram = serializers.CharField(max_length=100, required=False, allow_blank=True)
    roles = CodeField(
        slug_field="code",
        queryset=PersonRole.objects.all(),
        many=True,
        required=False,
        help_text="Role codes, see /community/person-roles/.",
    )
    current_affiliations = CurrentAffiliationSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = (
            "id",
            "surname",
            "first_name",
            "patronymic",
            "full_name",
            "position",
            "phone",
            "email",
            "telegram",
            "region",
            "expertise",
            "roles",
            "current_affiliations",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "full_name", "created_at", "updated_at")


class PersonBriefSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = ("id", "full_name", "position", "region")
        read_only_fields = fields


class SearchResultsSerializer(serializers.Serializer):
    organisations = OrganisationBriefSerializer(many=True)
    people = PersonBriefSerializer(many=True)


class AffiliationSerializer(serializers.ModelSerializer):
    person = VisibleRelatedField(model=Person)
    organisation = VisibleRecordField(model=Organisation)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    organisation_name = OrganisationNameField()
    is_current = serializers.SerializerMethodField()
    end_current = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="End the person's other current affiliations on the start date "
        "(a change of employer).",
    )

    class Meta:
        model = Affiliation
        fields = (
            "id",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "role",
            "started_on",
            "ended_on",
            "is_current",
            "end_current",
        )
        read_only_fields = ("id",)

    def get_is_current(self, affiliation: Affiliation) -> bool:
        return affiliation.is_current_on(timezone.localdate())


class AffiliationUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Affiliation
        fields = ("role", "started_on", "ended_on")


class DateInputSerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False, allow_null=True, help_text="Today when omitted."
    )


# Consents --------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer):
    person = VisibleRelatedField(model=Person)
    purpose_name = _display("purpose")
    channel_name = _display("channel")
    is_valid_today = serializers.SerializerMethodField()
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Consent
        fields = (
            "id",
            "person",
            "purpose",
            "purpose_name",
            "given_on",
            "channel",
            "channel_name",
            "evidence",
            "withdrawn_on",
            "is_valid_today",
            "recorded_by",
            "recorded_at",
        )
        read_only_fields = ("id", "withdrawn_on", "recorded_at")

    def get_is_valid_today(self, consent: Consent) -> bool:
        return consent.is_valid_on(timezone.localdate())


class ConsentUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = ("given_on", "channel", "evidence", "withdrawn_on")


# Communities ------------------------------------------------------------------------


class CommunitySerializer(serializers.ModelSerializer):
    regions = CodeField(
        slug_field="code",
        queryset=Region.objects.all(),
        many=True,
        help_text="Region codes.",
    )
    sectors = NamesField(attribute="name", max_length=200)
    coordinator = VisibleRecordField(model=Person, required=False, allow_null=True)
    status_name = _display("status")
    active_member_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Community
        fields = (
            "id",
            "name",
            "description",
            "regions",
            "sectors",
            "coordinator",
            "status",
            "status_name",
            "active_member_count",
            "created_at",
        )
        read_only_fields = ("id", "created_at")


class MembershipSerializer(serializers.ModelSerializer):
    community = VisibleRelatedField(model=Community)
    person = VisibleRelatedField(model=Person, required=False, allow_null=True)
    organisation = VisibleRelatedField(
        model=Organisation, required=False, allow_null=True
    )
    member_name = serializers.SerializerMethodField()
    status_name = _display("status")

    class Meta:
        model = CommunityMembership
        fields = (
            "id",
            "community",
            "person",
            "organisation",
            "member_name",
            "joined_on",
            "left_on",
            "status",
            "status_name",
            "role",
        )
        read_only_fields = ("id", "left_on")
        extra_kwargs = {"joined_on": {"required": False}}
        # The "exactly one member" and "already a member" rules are the
        # service's, with their own messages.
        validators: list = []

    def get_member_name(self, membership: CommunityMembership) -> str:
        return str(membership.member or "")


class MembershipUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommunityMembership
        fields = ("joined_on", "left_on", "status", "role")


# Interactions and follow-ups --------------------------------------------------------


class FollowUpInInteractionSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=active_users())
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = FollowUp
        fields = (
            "id",
            "description",
            "owner",
            "owner_name",
            "due_on",
            "status",
            "closed_on",
            "is_overdue",
        )
        read_only_fields = ("id", "status", "closed_on")


class AttachmentSerializer(serializers.ModelSerializer):
    interaction = VisibleRelatedField(model=Interaction)
    file = serializers.FileField(write_only=True, max_length=255)
    # Served by its download endpoint, with the access rules; its place in the
    # data folder is nobody's business.
    download_url = serializers.SerializerMethodField()
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = InteractionAttachment
        fields = (
            "id",
            "interaction",
            "file",
            "name",
            "size",
            "download_url",
            "uploaded_by",
            "uploaded_at",
        )
        read_only_fields = ("id", "name", "size", "uploaded_by", "uploaded_at")

    def get_download_url(self, attachment: InteractionAttachment) -> str:
        return f"/api/v1/community/attachments/{attachment.pk}/download/"


class AttachmentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = InteractionAttachment
        fields = ("id", "name", "size", "uploaded_at")
        read_only_fields = fields


class InteractionSerializer(serializers.ModelSerializer):
    kind_name = _display("kind")
    region = RegionField()
    people = VisibleRelatedField(model=Person, many=True, required=False)
    organisations = VisibleRelatedField(model=Organisation, many=True, required=False)
    staff = serializers.PrimaryKeyRelatedField(
        queryset=agency_staff(), many=True, required=False
    )
    follow_ups = FollowUpInInteractionSerializer(
        many=True,
        required=False,
        help_text="Follow-ups to record with a new interaction; change them later "
        "at /community/follow-ups/.",
    )
    attachments = AttachmentBriefSerializer(many=True, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Interaction
        fields = (
            "id",
            "kind",
            "kind_name",
            "occurred_on",
            "region",
            "topic",
            "summary",
            "decisions",
            "people",
            "organisations",
            "staff",
            "follow_ups",
            "attachments",
            "created_by",
            "created_at",
        )
        read_only_fields = ("id", "created_at")


class InteractionUpdateSerializer(serializers.ModelSerializer):
    region = RegionField(required=False)
    people = VisibleRelatedField(model=Person, many=True, required=False)
    organisations = VisibleRelatedField(model=Organisation, many=True, required=False)
    staff = serializers.PrimaryKeyRelatedField(
        queryset=agency_staff(), many=True, required=False
    )

    class Meta:
        model = Interaction
        fields = (
            "kind",
            "occurred_on",
            "region",
            "topic",
            "summary",
            "decisions",
            "people",
            "organisations",
            "staff",
        )


class FollowUpSerializer(serializers.ModelSerializer):
    interaction = VisibleRelatedField(model=Interaction)
    interaction_topic = serializers.CharField(
        source="interaction.topic", read_only=True
    )
    region = serializers.CharField(source="interaction.region.code", read_only=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=active_users())
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)
    status_name = _display("status")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = (
            "id",
            "interaction",
            "interaction_topic",
            "region",
            "description",
            "owner",
            "owner_name",
            "due_on",
            "status",
            "status_name",
            "closed_on",
            "is_overdue",
        )
        read_only_fields = ("id", "status", "closed_on")

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, follow_up: FollowUp) -> bool:
        return getattr(follow_up, "overdue", follow_up.is_overdue)


class FollowUpUpdateSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=active_users(), required=False)

    class Meta:
        model = FollowUp
        fields = ("description", "owner", "due_on", "status", "closed_on")


# Reference lists --------------------------------------------------------------------


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ("id", "name")
        read_only_fields = fields


class PersonRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonRole
        fields = ("code", "name_ru", "name_en")
        read_only_fields = fields


class SectorChoiceSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The value to send in `sectors`.")
    label = serializers.CharField(
        help_text="In the language asked for, with the classification's key."
    )
    classification = serializers.CharField(
        help_text="Key of the classification the sector belongs to, e.g. uk-dcms."
    )
