"""Pages of events and their itineraries, venues and programmes.

Everyone signed in reads them (a regional partner only the events
``selectors.event_list`` gives them); staff plan: events (from a template or
not), sessions of the itinerary edited in place with HTMX, venues with their
photos, programmes. Reads go through the selectors and writes through the
services, so the rules are the API's too; a service's refusal is shown next to
the field it names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from creative_regions.community.selectors import (
    FieldChange,
    HistoryEntry,
    interaction_list,
    organisation_list,
    person_list,
    record_history,
)
from creative_regions.core.exports import xlsx_response
from creative_regions.core.models import User
from creative_regions.geo.models import Region
from creative_regions.programmes import selectors, services
from creative_regions.programmes.filters import ProgrammeFilterSet, VenueFilterSet
from creative_regions.programmes.forms import (
    EventCreateForm,
    EventForm,
    ProgrammeForm,
    SessionForm,
    VenueForm,
    VenuePhotoForm,
    organisation_picker_queryset,
    person_picker_queryset,
    picker_choices,
)
from creative_regions.programmes.models import (
    Event,
    Programme,
    Session,
    Venue,
    VenuePhoto,
)
from creative_regions.programmes.views_calendar import (
    bad_filter_response,
    filter_query,
    is_partial,
    select_widget,
    sortable_columns,
)

PAGE_SIZE = 50
# Changes an event's page lists, its own and its itinerary's, newest first.
HISTORY_SIZE = 100
PHOTO_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


class StaffRequiredMixin(LoginRequiredMixin):
    """Signed-in staff who plan events; an expert or a partner, who only read,
    gets 403 before anything is looked up."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not services.user_is_programme_staff(request.user):
                raise PermissionDenied(_("Your role does not allow planning events."))
            self.load_record()
        return super().dispatch(request, *args, **kwargs)

    def load_record(self) -> None:
        """Looks up the record the view changes (404 when the user may not see
        it); views that create have none."""


@dataclass(frozen=True)
class SubjectHistoryEntry(HistoryEntry):
    """A change of a record's part (a session of an itinerary), named."""

    subject: str = ""


FIELD_ORDER = {field.name: index for index, field in enumerate(Session._meta.fields)}


def _session_value(name: str, value, venues: dict) -> str:
    if value is None or value == "":
        return "—"
    if name == "venue":
        return venues.get(value, str(value))
    if name == "day":
        return date_format(value, "SHORT_DATE_FORMAT")
    if name in ("starts_at", "ends_at"):
        return value.strftime("%H:%M")
    return str(value)


def itinerary_history(event: Event) -> list[SubjectHistoryEntry]:
    """Who added, changed and deleted the sessions of the event's itinerary,
    deleted sessions included (venues are shared reference, named for all)."""
    rows = list(
        Session.history.filter(event_id=event.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    venue_ids = {row.venue_id for row in rows if row.venue_id}
    venues = dict(Venue.objects.filter(pk__in=venue_ids).values_list("pk", "name"))
    entries, previous = [], {}
    for row in rows:
        changes = []
        earlier = previous.get(row.id)
        if earlier is not None and row.history_type == "~":
            delta = row.diff_against(earlier)
            # In the order the form shows the fields.
            for change in sorted(delta.changes, key=lambda c: FIELD_ORDER[c.field]):
                model_field = Session._meta.get_field(change.field)
                changes.append(
                    FieldChange(
                        field=change.field,
                        label=str(model_field.verbose_name),
                        old=_session_value(change.field, change.old, venues),
                        new=_session_value(change.field, change.new, venues),
                    )
                )
        previous[row.id] = row
        if row.history_type == "~" and not changes:
            continue
        entries.append(
            SubjectHistoryEntry(
                changed_at=row.history_date,
                user=row.history_user,
                kind=row.history_type,
                changes=changes,
                subject=_("Session “%(topic)s”") % {"topic": row.topic},
            )
        )
    return entries


def _history(record, user: User) -> list:
    """The record's history (as the community's records show it) with the
    values of choices and yes/no fields in words."""
    entries = record_history(record=record, user=user)
    labelled = []
    for entry in entries:
        changes = []
        for change in entry.changes:
            model_field = record._meta.get_field(change.field)
            words = dict(model_field.flatchoices) if model_field.choices else {}
            if model_field.get_internal_type() == "BooleanField":
                words = {"True": _("yes"), "False": _("no")}
            changes.append(
                replace(
                    change,
                    old=str(words.get(change.old, change.old)),
                    new=str(words.get(change.new, change.new)),
                )
            )
        labelled.append(replace(entry, changes=changes))
    return labelled


# Events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """Another session at the same venue at the same time."""

    session: Session
    # Whether it belongs to the event on the page, and whether the user may
    # see its event (otherwise it is not named).
    is_same_event: bool
    is_visible: bool


@dataclass(frozen=True)
class ItineraryDay:
    day: Any
    sessions: list[Session]


def itinerary_context(
    request: HttpRequest,
    event: Event,
    *,
    add_form: SessionForm | None = None,
    edit_session: Session | None = None,
    edit_form: SessionForm | None = None,
    notice: str = "",
) -> dict:
    """What the itinerary section shows: the sessions by day, each with the
    sessions it overlaps at its venue, and the forms staff edit them with."""
    user = request.user
    sessions = list(selectors.session_list(event=event))
    conflicts = selectors.session_conflicts(sessions)
    other_events = {
        other.event_id
        for clashes in conflicts.values()
        for other in clashes
        if other.event_id != event.pk
    }
    visible_events = set(
        selectors.event_list(user=user)
        .filter(pk__in=other_events)
        .values_list("pk", flat=True)
    )
    for session in sessions:
        session.conflicts = [
            Conflict(
                session=other,
                is_same_event=other.event_id == event.pk,
                is_visible=other.event_id == event.pk
                or other.event_id in visible_events,
            )
            for other in conflicts.get(session.pk, [])
        ]
        session.is_editing = edit_session is not None and session.pk == edit_session.pk
    can_edit = services.user_is_programme_staff(user)
    if can_edit and add_form is None:
        add_form = SessionForm(prefix="session", initial={"day": event.starts_on})
    return {
        "event": event,
        "itinerary": [
            ItineraryDay(day=day, sessions=list(group))
            for day, group in groupby(sessions, key=lambda session: session.day)
        ],
        "session_count": len(sessions),
        "conflict_count": sum(bool(session.conflicts) for session in sessions),
        "add_form": add_form,
        "edit_form": edit_form,
        "can_edit": can_edit,
        "notice": notice,
    }


def event_page_context(request: HttpRequest, event: Event, **itinerary) -> dict:
    """What the event's page shows; ``itinerary`` passes bound forms whose errors
    the itinerary section shows."""
    user = request.user
    hosts = list(event.hosts.all())
    visible_hosts = set(
        organisation_list(user=user)
        .filter(pk__in=[host.pk for host in hosts])
        .values_list("pk", flat=True)
    )
    outcomes = list(selectors.outcome_list(event=event))
    visible_organisations = set(
        organisation_list(user=user)
        .filter(pk__in=[o.organisation_id for o in outcomes if o.organisation_id])
        .values_list("pk", flat=True)
    )
    visible_interactions = set(
        interaction_list(user=user)
        .filter(pk__in=[o.follow_up.interaction_id for o in outcomes if o.follow_up_id])
        .values_list("pk", flat=True)
    )
    for outcome in outcomes:
        outcome.organisation_visible = outcome.organisation_id in visible_organisations
        outcome.interaction_visible = (
            outcome.follow_up_id is not None
            and outcome.follow_up.interaction_id in visible_interactions
        )
    return {
        "event": event,
        "hosts": [host for host in hosts if host.pk in visible_hosts],
        "hidden_host_count": len(hosts) - len(visible_hosts),
        "outcomes": outcomes,
        "history": sorted(
            [*_history(event, user), *itinerary_history(event)],
            key=lambda entry: entry.changed_at,
            reverse=True,
        )[:HISTORY_SIZE],
        **itinerary_context(request, event, **itinerary),
    }


def _event_for(request: HttpRequest, pk) -> Event:
    return selectors.event_get_for_user(user=request.user, pk=pk)


class EventDetailView(LoginRequiredMixin, TemplateView):
    template_name = "programmes/event/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = _event_for(self.request, kwargs["pk"])
        context.update(event_page_context(self.request, event))
        return context


class EventItineraryView(LoginRequiredMixin, View):
    """The itinerary alone for HTMX (closing an edit row); the event's page
    otherwise."""

    def get(self, request, pk: int):
        event = _event_for(request, pk)
        if not is_partial(request):
            return redirect(
                reverse("programmes:event-detail", args=[event.pk]) + "#itinerary"
            )
        return _itinerary_response(request, event)


def _itinerary_response(request: HttpRequest, event: Event, **kwargs) -> HttpResponse:
    response = render(
        request,
        "programmes/event/_itinerary.html",
        itinerary_context(request, event, **kwargs),
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


def _event_initial(event: Event) -> dict:
    return {
        "title": event.title,
        "format": event.format,
        "programme": event.programme_id,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "region": event.region_id,
        "city": event.city,
        "status": event.status,
        "goals": event.goals,
        "description": event.description,
        "hosts": [host.pk for host in event.hosts.all()],
        "capacity": event.capacity,
        "registration_open": event.registration_open,
    }


class EventFormView(StaffRequiredMixin, TemplateView):
    """Creates or changes an event through its service; refusals are shown next
    to their fields."""

    template_name = "programmes/event/form.html"
    event: Event | None = None

    def get_form(self, data=None):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                event = self.save(form)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, self.success_message(event))
                return redirect("programmes:event-detail", pk=event.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        return context


class EventCreateView(EventFormView):
    def get_form(self, data=None):
        initial = {"status": Event.Status.PLANNED}
        query = self.request.GET
        programme_pk = query.get("programme", "")
        if programme_pk.isdigit():
            programme = Programme.objects.filter(pk=programme_pk).first()
            if programme is not None:
                initial.update(programme=programme.pk, format=programme.format)
        # A day clicked on the calendar's month.
        try:
            day = date.fromisoformat(query.get("starts_on", ""))
        except ValueError:
            day = None
        if day is not None:
            initial.update(starts_on=day, ends_on=day)
        return EventCreateForm(data, user=self.request.user, initial=initial)

    def save(self, form):
        return services.event_create(user=self.request.user, **form.service_arguments())

    def success_message(self, event: Event) -> str:
        count = event.sessions.count()
        if count:
            return ngettext(
                "The event “%(title)s” is planned, with a draft itinerary of "
                "%(count)d session to adjust.",
                "The event “%(title)s” is planned, with a draft itinerary of "
                "%(count)d sessions to adjust.",
                count,
            ) % {"title": event.title, "count": count}
        return _("The event “%(title)s” is planned.") % {"title": event.title}


class EventUpdateView(EventFormView):
    def load_record(self) -> None:
        self.event = _event_for(self.request, self.kwargs["pk"])

    def get_form(self, data=None):
        return EventForm(
            data, user=self.request.user, initial=_event_initial(self.event)
        )

    def save(self, form):
        return services.event_update(
            user=self.request.user, event=self.event, **form.service_arguments()
        )

    def success_message(self, event: Event) -> str:
        return _("The changes are saved.")


class EventDeleteView(StaffRequiredMixin, TemplateView):
    """Asks before deleting an event and says what goes with it; an event people
    are registered for is refused (cancel it instead)."""

    template_name = "programmes/event/confirm_delete.html"

    def load_record(self) -> None:
        self.event = _event_for(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            event=self.event,
            session_count=self.event.sessions.count(),
            registration_count=self.event.registrations.count(),
            delegation_count=self.event.delegations.count(),
        )
        return context

    def post(self, request, *args, **kwargs):
        title = self.event.title
        try:
            services.event_delete(user=request.user, event=self.event)
        except (ValidationError, ProtectedError) as error:
            message = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else _("Other records refer to it; remove them first.")
            )
            return self.render_to_response(
                self.get_context_data(error=message), status=400
            )
        messages.success(request, _("“%(name)s” is deleted.") % {"name": title})
        return redirect("programmes:calendar")


# Sessions of the itinerary --------------------------------------------------------


class SessionMixin(StaffRequiredMixin):
    """Loads the event (404 when the user may not see it) and, for an existing
    session, the session of that event."""

    session: Session | None = None

    def load_record(self) -> None:
        self.event = _event_for(self.request, self.kwargs["pk"])
        if "session_pk" in self.kwargs:
            self.session = (
                selectors.session_list(event=self.event)
                .filter(pk=self.kwargs["session_pk"])
                .first()
            )
            if self.session is None:
                raise Http404(_("No such session."))

    def detail_url(self) -> str:
        return reverse("programmes:event-detail", args=[self.event.pk]) + "#itinerary"


def _session_initial(session: Session) -> dict:
    return {
        "day": session.day,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "venue": session.venue_id,
        "topic": session.topic,
        "speakers": session.speakers,
        "capacity": session.capacity,
    }


class SessionCreateView(SessionMixin, View):
    def post(self, request, pk: int):
        form = SessionForm(request.POST, prefix="session")
        if form.is_valid():
            try:
                session = services.session_add(
                    user=request.user, event=self.event, **form.service_arguments()
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                notice = _("The session “%(topic)s” is added.") % {
                    "topic": session.topic
                }
                if is_partial(request):
                    return _itinerary_response(request, self.event, notice=notice)
                messages.success(request, notice)
                return redirect(self.detail_url())
        if is_partial(request):
            return _itinerary_response(request, self.event, add_form=form)
        context = event_page_context(request, self.event, add_form=form)
        return render(request, "programmes/event/detail.html", context, status=400)


class SessionUpdateView(SessionMixin, View):
    template_name = "programmes/event/session_form.html"

    def form(self, data=None) -> SessionForm:
        return SessionForm(
            data,
            prefix=f"session-{self.session.pk}",
            initial=_session_initial(self.session),
        )

    def respond_with_form(self, form: SessionForm, status: int = 200):
        if is_partial(self.request):
            return _itinerary_response(
                self.request, self.event, edit_session=self.session, edit_form=form
            )
        context = {"event": self.event, "session": self.session, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk: int, session_pk: int):
        return self.respond_with_form(self.form())

    def post(self, request, pk: int, session_pk: int):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                session = services.session_update(
                    user=request.user, session=self.session, **form.service_arguments()
                )
            except ValidationError as error:
                form.add_service_error(error)
                # The instance took the refused values: read it again.
                self.session.refresh_from_db()
            else:
                notice = _("The session “%(topic)s” is saved.") % {
                    "topic": session.topic
                }
                if is_partial(request):
                    return _itinerary_response(request, self.event, notice=notice)
                messages.success(request, notice)
                return redirect(self.detail_url())
        return self.respond_with_form(form, status=400)


class SessionDeleteView(SessionMixin, View):
    def post(self, request, pk: int, session_pk: int):
        topic = self.session.topic
        services.session_delete(user=request.user, session=self.session)
        notice = _("The session “%(topic)s” is deleted.") % {"topic": topic}
        if is_partial(request):
            return _itinerary_response(request, self.event, notice=notice)
        messages.success(request, notice)
        return redirect(self.detail_url())


# Pickers --------------------------------------------------------------------------


class PickerOptionsView(StaffRequiredMixin, View):
    """Options of a picker (the hosts of an event, a venue's contacts) matching
    what was typed, the chosen ones kept first and chosen."""

    field_names: tuple[str, ...]

    def queryset(self):
        raise NotImplementedError

    def label(self, record) -> str:
        return str(record)

    def get(self, request):
        name = next(
            (name for name in self.field_names if name in request.GET), ""
        ) or request.GET.get("field", "")
        values = request.GET.getlist(name) if name else []
        selected = [int(v) for v in values if v.isascii() and v.isdigit()][:100]
        text = request.GET.get("q", "").replace("\x00", "")[:200]
        choices = picker_choices(
            self.queryset(), selected=selected, text=text, label=self.label
        )
        return render(
            request,
            "programmes/partials/_picker_options.html",
            {
                "choices": choices,
                "selected": set(selected),
                "with_empty": request.GET.get("empty") == "1",
            },
        )


class OrganisationOptionsView(PickerOptionsView):
    field_names = ("hosts", "organisation")

    def queryset(self):
        return organisation_picker_queryset(self.request.user)

    def label(self, record) -> str:
        return record.name


class PersonOptionsView(PickerOptionsView):
    field_names = ("contacts",)

    def queryset(self):
        return person_picker_queryset(self.request.user)


# Venues ---------------------------------------------------------------------------

VENUE_SORTS = (
    ("name", gettext_lazy("Name"), ("", "-name")),
    ("city", gettext_lazy("City"), ("city",)),
    ("sessions", gettext_lazy("Sessions held"), ("-sessions",)),
)


def venue_filters_setup(filterset: VenueFilterSet) -> None:
    """The venue list's filter bar: the regions and cities venues are in."""
    fields = filterset.form.fields
    fields["q"].widget.input_type = "search"
    regions = Region.objects.filter(venues__isnull=False).distinct()
    select_widget(
        fields["region"],
        sorted(
            ((region.code, region.name) for region in regions),
            key=lambda option: option[1],
        ),
        filterset.data.get("region", ""),
        _("All regions"),
    )
    cities = sorted(set(Venue.objects.values_list("city", flat=True)))
    select_widget(
        fields["city"],
        [(city, city) for city in cities],
        filterset.data.get("city", ""),
        _("All cities"),
    )


class VenueListView(LoginRequiredMixin, TemplateView):
    template_name = "programmes/venue/list.html"
    partial_template_name = "programmes/venue/_results.html"

    def get_template_names(self) -> list[str]:
        if is_partial(self.request):
            return [self.partial_template_name]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        status = 400 if context["filter_errors"] and not is_partial(request) else 200
        response = self.render_to_response(context, status=status)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        filterset = VenueFilterSet(
            request.GET, queryset=selectors.venue_list().order_by("name", "pk")
        )
        if not is_partial(request):
            venue_filters_setup(filterset)
        is_valid = filterset.is_valid()
        venues = filterset.qs if is_valid else filterset.queryset.none()
        page = Paginator(venues, PAGE_SIZE).get_page(request.GET.get("page"))
        query = filter_query(request, drop=("page",))
        context.update(
            filterset=filterset,
            filter_errors=[
                (str(filterset.form.fields[name].label), errors)
                for name, errors in filterset.form.errors.items()
            ],
            page=page,
            query_string=query,
            export_query=filter_query(request, drop=("page", "sort")),
            columns=sortable_columns(request, VENUE_SORTS),
            current_sort=request.GET.get("sort", ""),
            can_edit=services.user_is_programme_staff(request.user),
            is_partial=is_partial(request),
        )
        return context


class VenueExportView(LoginRequiredMixin, View):
    """The venue list with the page's filter as XLSX."""

    def get(self, request):
        filterset = VenueFilterSet(
            request.GET, queryset=selectors.venue_list().order_by("name", "pk")
        )
        if not filterset.is_valid():
            return bad_filter_response(filterset)
        headers = [
            _("Name"),
            _("Kind"),
            _("Region"),
            _("City"),
            _("Address"),
            _("Capacity"),
            _("Website"),
            _("Sessions held"),
        ]
        rows = (
            [
                venue.name,
                venue.get_kind_display(),
                venue.region.name,
                venue.city,
                venue.address,
                venue.capacity,
                venue.website,
                venue.session_count,
            ]
            for venue in filterset.qs
        )
        return xlsx_response(
            filename="venues.xlsx", sheet_title=_("Venues"), headers=headers, rows=rows
        )


def venue_page_context(request: HttpRequest, venue: Venue, **overrides) -> dict:
    user = request.user
    contacts = list(venue.contacts.all())
    visible = {
        person.pk: person
        for person in person_list(user=user).filter(
            pk__in=[person.pk for person in contacts]
        )
    }
    organisation = None
    if venue.organisation_id:
        organisation = (
            organisation_list(user=user).filter(pk=venue.organisation_id).first()
        )
    can_edit = services.user_is_programme_staff(user)
    context = {
        "venue": venue,
        "contacts": [visible[person.pk] for person in contacts if person.pk in visible],
        "hidden_contact_count": len(contacts) - len(visible),
        "organisation": organisation,
        "has_hidden_organisation": venue.organisation_id is not None
        and organisation is None,
        "photos": list(venue.photos.all()),
        "upcoming": list(
            selectors.venue_sessions_upcoming(
                user=user, venue=venue, today=timezone.localdate()
            )[:PAGE_SIZE]
        ),
        "history": _history(venue, user),
        "can_edit": can_edit,
        "photo_form": VenuePhotoForm() if can_edit else None,
    }
    context.update(overrides)
    return context


class VenueDetailView(LoginRequiredMixin, TemplateView):
    template_name = "programmes/venue/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        venue = selectors.venue_get(pk=kwargs["pk"])
        context.update(venue_page_context(self.request, venue))
        return context


def _venue_initial(venue: Venue) -> dict:
    return {
        "name": venue.name,
        "kind": venue.kind,
        "region": venue.region_id,
        "city": venue.city,
        "address": venue.address,
        "capacity": venue.capacity,
        "website": venue.website,
        "description": venue.description,
        "organisation": venue.organisation_id,
        "contacts": [person.pk for person in venue.contacts.all()],
    }


class VenueFormView(StaffRequiredMixin, TemplateView):
    template_name = "programmes/venue/form.html"
    venue: Venue | None = None

    def get_form(self, data=None) -> VenueForm:
        initial = _venue_initial(self.venue) if self.venue else {}
        return VenueForm(data, user=self.request.user, initial=initial)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                venue = self.save(form)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, self.success_message(venue))
                return redirect("programmes:venue-detail", pk=venue.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["venue"] = self.venue
        return context


class VenueCreateView(VenueFormView):
    def save(self, form) -> Venue:
        return services.venue_create(user=self.request.user, **form.service_arguments())

    def success_message(self, venue: Venue) -> str:
        return _("The venue “%(name)s” is recorded.") % {"name": venue.name}


class VenueDeleteView(StaffRequiredMixin, TemplateView):
    """Asks before deleting a venue; one that itineraries visit is refused
    (move their sessions first)."""

    template_name = "programmes/venue/confirm_delete.html"

    def load_record(self) -> None:
        self.venue = selectors.venue_get(pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            venue=self.venue,
            session_count=self.venue.session_count,
            photo_count=self.venue.photos.count(),
        )
        return context

    def post(self, request, *args, **kwargs):
        name = self.venue.name
        try:
            services.venue_delete(user=request.user, venue=self.venue)
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(error=" ".join(error.messages)), status=400
            )
        messages.success(request, _("“%(name)s” is deleted.") % {"name": name})
        return redirect("programmes:venue-list")


class VenueUpdateView(VenueFormView):
    def load_record(self) -> None:
        self.venue = selectors.venue_get(pk=self.kwargs["pk"])

    def save(self, form) -> Venue:
        return services.venue_update(
            user=self.request.user, venue=self.venue, **form.service_arguments()
        )

    def success_message(self, venue: Venue) -> str:
        return _("The changes are saved.")


class VenuePhotoAddView(StaffRequiredMixin, View):
    """Uploads a photo; a refused file comes back to the venue's page with the
    reason by the field."""

    def post(self, request, pk: int):
        venue = selectors.venue_get(pk=pk)
        form = VenuePhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.venue_photo_add(
                    user=request.user,
                    venue=venue,
                    image=form.cleaned_data["image"],
                    caption=form.cleaned_data["caption"],
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The photo is added."))
                return redirect(
                    reverse("programmes:venue-detail", args=[venue.pk]) + "#photos"
                )
        context = venue_page_context(request, venue, photo_form=form)
        return render(request, "programmes/venue/detail.html", context, status=400)


def _photo_for(venue_pk: int, photo_pk: int) -> VenuePhoto:
    venue = selectors.venue_get(pk=venue_pk)
    photo = venue.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404(_("No such photo."))
    return photo


class VenuePhotoView(LoginRequiredMixin, View):
    """A venue's photo, shown in the page (uploads are served only to those
    signed in, never from a public folder)."""

    def get(self, request, pk: int, photo_pk: int):
        photo = _photo_for(pk, photo_pk)
        suffix = photo.image.name.rsplit(".", 1)[-1].lower()
        try:
            handle = photo.image.open("rb")
        except FileNotFoundError:
            raise Http404(_("The photo's file is missing.")) from None
        response = FileResponse(
            handle, content_type=PHOTO_TYPES.get(suffix, "application/octet-stream")
        )
        response["Cache-Control"] = "private, max-age=3600"
        return response


class VenuePhotoDeleteView(StaffRequiredMixin, View):
    def post(self, request, pk: int, photo_pk: int):
        photo = _photo_for(pk, photo_pk)
        services.venue_photo_delete(user=request.user, photo=photo)
        messages.success(request, _("The photo is deleted."))
        return redirect(reverse("programmes:venue-detail", args=[pk]) + "#photos")


# Programmes -----------------------------------------------------------------------


PROGRAMME_SORTS = (
    ("name", gettext_lazy("Name"), ("name", "-name")),
    ("year", gettext_lazy("Year"), ("", "year")),
    ("events", gettext_lazy("Events"), ("-events",)),
)


class ProgrammeListView(LoginRequiredMixin, TemplateView):
    template_name = "programmes/programme/list.html"
    partial_template_name = "programmes/programme/_results.html"

    def get_template_names(self) -> list[str]:
        if is_partial(self.request):
            return [self.partial_template_name]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        status = 400 if context["filter_errors"] and not is_partial(request) else 200
        response = self.render_to_response(context, status=status)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        filterset = ProgrammeFilterSet(
            request.GET, queryset=selectors.programme_list(user=request.user)
        )
        filterset.form.fields["q"].widget.input_type = "search"
        is_valid = filterset.is_valid()
        programmes = filterset.qs if is_valid else filterset.queryset.none()
        page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            filterset=filterset,
            filter_errors=[
                (str(filterset.form.fields[name].label), errors)
                for name, errors in filterset.form.errors.items()
            ],
            page=page,
            query_string=filter_query(request, drop=("page",)),
            export_query=filter_query(request, drop=("page", "sort")),
            columns=sortable_columns(
                request, PROGRAMME_SORTS, default_direction="descending"
            ),
            current_sort=request.GET.get("sort", ""),
            can_edit=services.user_is_programme_staff(request.user),
            is_partial=is_partial(request),
        )
        return context


class ProgrammeExportView(LoginRequiredMixin, View):
    def get(self, request):
        filterset = ProgrammeFilterSet(
            request.GET, queryset=selectors.programme_list(user=request.user)
        )
        if not filterset.is_valid():
            return bad_filter_response(filterset)
        headers = [
            _("Name"),
            _("Format"),
            _("Year"),
            _("Methodology template"),
            _("Events"),
            _("Description"),
        ]
        rows = (
            [
                programme.name,
                programme.get_format_display(),
                programme.year,
                programme.get_methodology_display(),
                programme.event_count,
                programme.description,
            ]
            for programme in filterset.qs
        )
        return xlsx_response(
            filename="programmes.xlsx",
            sheet_title=_("Programmes"),
            headers=headers,
            rows=rows,
        )


class ProgrammeDetailView(LoginRequiredMixin, TemplateView):
    template_name = "programmes/programme/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        programme = selectors.programme_get(pk=kwargs["pk"], user=user)
        events = (
            selectors.event_list(user=user)
            .filter(programme=programme)
            .order_by("starts_on", "pk")
        )
        context.update(
            programme=programme,
            page=Paginator(events, PAGE_SIZE).get_page(self.request.GET.get("page")),
            query_string="",
            history=_history(programme, user),
            can_edit=services.user_is_programme_staff(user),
        )
        return context


class ProgrammeFormView(StaffRequiredMixin, TemplateView):
    template_name = "programmes/programme/form.html"
    programme: Programme | None = None

    def get_form(self, data=None) -> ProgrammeForm:
        initial = {}
        if self.programme is not None:
            initial = {
                name: getattr(self.programme, name)
                for name in ("name", "format", "year", "methodology", "description")
            }
        return ProgrammeForm(data, initial=initial)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                programme = self.save(form)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, self.success_message(programme))
                return redirect("programmes:programme-detail", pk=programme.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = self.programme
        return context


class ProgrammeCreateView(ProgrammeFormView):
    def save(self, form) -> Programme:
        return services.programme_create(
            user=self.request.user, **form.service_arguments()
        )

    def success_message(self, programme: Programme) -> str:
        return _("The programme “%(name)s” is recorded.") % {"name": programme.name}


class ProgrammeUpdateView(ProgrammeFormView):
    def load_record(self) -> None:
        self.programme = selectors.programme_get(pk=self.kwargs["pk"])

    def save(self, form) -> Programme:
        return services.programme_update(
            user=self.request.user, programme=self.programme, **form.service_arguments()
        )

    def success_message(self, programme: Programme) -> str:
        return _("The changes are saved.")
