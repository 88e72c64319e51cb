"""The programmes' records in the admin, each with its history of changes.

Saving here runs the models' validation; the rules that span rows (places and
the waitlist, a partner's regions) are the services', so the admin leaves a
registration's place and queue read-only and cancels through the service.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from creative_regions.programmes import services
from creative_regions.programmes.models import (
    Attendance,
    Delegation,
    Event,
    Feedback,
    InternshipPlacement,
    Outcome,
    Programme,
    Registration,
    Session,
    Venue,
    VenuePhoto,
)


class VenuePhotoInline(admin.TabularInline):
    model = VenuePhoto
    extra = 0
    readonly_fields = ("uploaded_at",)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    autocomplete_fields = ("venue",)


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("follow_up",)


@admin.register(Venue)
class VenueAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "city", "capacity")
    list_filter = ("kind", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "city", "address")
    autocomplete_fields = ("region", "organisation", "contacts")
    list_select_related = ("region",)
    inlines = (VenuePhotoInline,)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "format", "year", "methodology")
    list_filter = ("format", "year", "methodology")
    search_fields = ("name",)


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "format", "starts_on", "city", "status", "capacity")
    list_filter = (
        "format",
        "status",
        "registration_open",
        ("region", admin.RelatedOnlyFieldListFilter),
        "programme",
    )
    search_fields = ("title", "city", "goals")
    date_hierarchy = "starts_on"
    autocomplete_fields = ("programme", "region", "hosts")
    raw_id_fields = ("interactions",)
    readonly_fields = ("public_key", "created_by", "created_at")
    list_select_related = ("region", "programme")
    inlines = (SessionInline, OutcomeInline)


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ("day", "starts_at", "ends_at", "topic", "venue")
    list_filter = ("event__format", "venue")
    search_fields = ("topic", "speakers", "event__title", "venue__name")
    date_hierarchy = "day"
    autocomplete_fields = ("event", "venue")
    list_select_related = ("event", "venue")


@admin.register(Delegation)
class DelegationAdmin(SimpleHistoryAdmin):
    list_display = ("region", "event", "head")
    list_filter = (("region", admin.RelatedOnlyFieldListFilter), "event__format")
    search_fields = ("event__title", "region__name_ru", "organisation__full_name")
    autocomplete_fields = ("event", "region", "organisation", "head")
    readonly_fields = ("created_by", "created_at")
    list_select_related = ("region", "event", "organisation", "head")


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("person", "event_on", "status", "source", "queued_at")
    list_filter = ("status", "source", "event__format")
    search_fields = (
        "person__surname",
        "person__first_name",
        "person__email",
        "person__phone",
        "event__title",
    )
    autocomplete_fields = ("event", "person", "delegation")
    raw_id_fields = ("role", "consent")
    # The place and the queue follow the services' rules: cancel with the
    # action, which gives the place to the first on the waitlist.
    readonly_fields = (
        "status",
        "registered_at",
        "queued_at",
        "promoted_at",
        "cancelled_at",
        "checked_in_at",
        "token",
    )
    list_select_related = ("person", "event", "delegation", "delegation__region")
    actions = ("cancel_registrations",)

    @admin.display(description=_("event"), ordering="event__starts_on")
    def event_on(self, registration: Registration) -> str:
        event = registration.event
        return f"{Truncator(event.title).chars(48)}, {date_format(event.starts_on)}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new place is given by the services (staff pages, API, public page).
        return False

    @admin.action(description=_("Cancel the selected registrations"))
    def cancel_registrations(self, request: HttpRequest, queryset: QuerySet) -> None:
        cancelled = 0
        refused = []
        for registration in queryset.exclude(status=Registration.Status.CANCELLED):
            try:
                services.registration_cancel(
                    registration=registration, user=request.user
                )
            except ValidationError as error:
                refused.append(f"{registration}: {' '.join(error.messages)}")
            else:
                cancelled += 1
        for message in refused:
            self.message_user(request, message, messages.ERROR)
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled; the waitlist moved up.",
                "%(count)d registrations cancelled; the waitlist moved up.",
                cancelled,
            )
            % {"count": cancelled},
            messages.SUCCESS,
        )


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("registration", "session", "method", "recorded_at", "recorded_by")
    list_filter = ("method",)
    search_fields = ("registration__person__surname", "session__topic")
    raw_id_fields = ("registration", "session")
    readonly_fields = ("recorded_at", "recorded_by")
    list_select_related = ("registration__person", "registration__event", "session")


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("registration", "rating", "recommend", "submitted_at")
    list_filter = ("rating", "registration__event__format")
    search_fields = ("comment", "registration__person__surname")
    raw_id_fields = ("registration",)
    readonly_fields = ("submitted_at",)
    list_select_related = ("registration__person", "registration__event")


@admin.register(InternshipPlacement)
class InternshipPlacementAdmin(SimpleHistoryAdmin):
    list_display = ("participant", "host", "event", "starts_on", "ends_on")
    search_fields = ("participant__surname", "host__full_name", "event__title")
    autocomplete_fields = ("event", "participant", "host")
    list_select_related = ("participant", "host", "event")


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ("summary", "kind", "event", "organisation")
    list_filter = ("kind",)
    search_fields = ("summary", "event__title", "organisation__full_name")
    autocomplete_fields = ("event", "organisation")
    raw_id_fields = ("follow_up",)
    list_select_related = ("event", "organisation")


@admin.register(VenuePhoto)
class VenuePhotoAdmin(admin.ModelAdmin):
    list_display = ("venue", "caption", "uploaded_at")
    search_fields = ("venue__name", "caption")
    autocomplete_fields = ("venue",)
    readonly_fields = ("uploaded_at",)
    list_select_related = ("venue",)
