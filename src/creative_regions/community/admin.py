"""The community's records in the admin, each with its history of changes.

Saving here runs the models' validation (identifiers, contacts, constraints); the
region rule for partners does not apply, as only administrators use the admin.
"""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

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


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ("organisation", "person")


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ("recorded_by", "recorded_at")


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = InteractionAttachment
    extra = 0
    readonly_fields = ("size", "uploaded_by", "uploaded_at")


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "kind", "inn", "region", "status")
    list_filter = ("kind", "status", "region")
    search_fields = ("full_name", "short_name", "inn", "ogrn")
    autocomplete_fields = ("sectors", "tags")
    list_select_related = ("region",)
    inlines = (AffiliationInline,)
    # Links typed without a scheme are https, as the services store them.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("surname", "first_name", "patronymic", "region", "email", "phone")
    list_filter = ("region", "roles")
    search_fields = ("surname", "first_name", "email", "phone")
    filter_horizontal = ("roles",)
    list_select_related = ("region",)
    inlines = (AffiliationInline, ConsentInline)


@admin.register(Affiliation)
class AffiliationAdmin(SimpleHistoryAdmin):
    list_display = ("person", "organisation", "role", "started_on", "ended_on")
    autocomplete_fields = ("person", "organisation")
    list_select_related = ("person", "organisation")


@admin.register(Consent)
class ConsentAdmin(SimpleHistoryAdmin):
    list_display = ("person", "purpose", "given_on", "channel", "withdrawn_on")
    list_filter = ("purpose", "channel")
    autocomplete_fields = ("person",)
    readonly_fields = ("recorded_by", "recorded_at")
    list_select_related = ("person",)


class MembershipInline(admin.TabularInline):
    model = CommunityMembership
    extra = 0
    autocomplete_fields = ("person", "organisation")


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "status")
    list_filter = ("status", "regions")
    search_fields = ("name",)
    filter_horizontal = ("regions",)
    autocomplete_fields = ("sectors", "coordinator")
    inlines = (MembershipInline,)


@admin.register(CommunityMembership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("community", "person", "organisation", "status", "joined_on")
    list_filter = ("status",)
    autocomplete_fields = ("community", "person", "organisation")


@admin.register(Interaction)
class InteractionAdmin(SimpleHistoryAdmin):
    list_display = ("occurred_on", "kind", "region", "topic")
    list_filter = ("kind", "region")
    search_fields = ("topic",)
    date_hierarchy = "occurred_on"
    autocomplete_fields = ("people", "organisations")
    filter_horizontal = ("staff",)
    list_select_related = ("region",)
    inlines = (FollowUpInline, AttachmentInline)


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ("description", "owner", "due_on", "status")
    list_filter = ("status",)
    list_select_related = ("owner",)


@admin.register(Tag)
class TagAdmin(SimpleHistoryAdmin):
    search_fields = ("name",)


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_en", "classification")
    search_fields = ("name", "name_en")


@admin.register(PersonRole)
class PersonRoleAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_ru", "name_en")
