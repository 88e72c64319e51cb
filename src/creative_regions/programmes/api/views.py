"""The programmes API: thin views over the selectors (reads, already scoped to
the user) and the services (writes, with every rule). A regional partner reads
the events held in their regions or attended by their delegations, those taking
delegations now, and their regions' delegations and registrations; they register
and change their own regions' delegations. Everything else is written by agency
staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from creative_regions.core.models import User
from creative_regions.core.permissions import HasRole
from creative_regions.programmes import selectors, services
from creative_regions.programmes.api import filters
from creative_regions.programmes.api import serializers as api
from creative_regions.programmes.filters import (
    EventFilterSet,
    ProgrammeFilterSet,
    VenueFilterSet,
)
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

PARTNER = User.Role.PARTNER


class RecordViewSet(viewsets.ModelViewSet):
    """CRUD over a selector and services; subclasses name them.

    Everyone signed in reads what the selector gives them; ``allowed_roles``
    write (the services check the rest: a partner's regions, the event's
    status...). Writes go through ``create_record``/``update_record``/
    ``delete_record`` with the validated data; the answer is the record read
    back through the selector, as a list would show it.
    """

    model: ClassVar[type[Model]]
    allowed_roles: ClassVar[tuple[str, ...]] = services.STAFF_ROLES
    update_serializer_class: ClassVar[type[BaseSerializer] | None] = None
    create_serializer_class: ClassVar[type[BaseSerializer] | None] = None
    list_selector: ClassVar[Callable[..., QuerySet]]
    get_selector: ClassVar[Callable[..., Model]]
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_permissions(self) -> list:
        if self.request.method in SAFE_METHODS:
            return [IsAuthenticated()]
        return [IsAuthenticated(), HasRole()]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.prefetch(type(self).list_selector(user=self.request.user))

    def prefetch(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def get_object(self) -> Model:
        record = type(self).get_selector(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action in {"update", "partial_update"} and self.update_serializer_class:
            return self.update_serializer_class
        if self.action == "create" and self.create_serializer_class:
            return self.create_serializer_class
        return self.serializer_class

    def _read_back(self, record: Model) -> dict:
        fresh = type(self).get_selector(user=self.request.user, pk=record.pk)
        return self.serializer_class(fresh, context=self.get_serializer_context()).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = self.create_record(dict(serializer.validated_data))
        return Response(self._read_back(record), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        serializer = self.get_serializer(
            record, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        self.update_record(record, dict(serializer.validated_data))
        return Response(self._read_back(record))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.delete_record(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def create_record(self, data: dict) -> Model:
        raise NotImplementedError

    def update_record(self, record: Model, data: dict) -> None:
        raise NotImplementedError

    def delete_record(self, record: Model) -> None:
        raise NotImplementedError


def _person_errors_as_such(error: ValidationError) -> ValidationError:
    """The services name the e-mail when a person is registered twice (the
    public form's field); here the person is given by id."""
    if hasattr(error, "error_dict") and "email" in error.error_dict:
        errors = dict(error.error_dict)
        errors["person"] = errors.pop("email")
        return ValidationError(errors)
    return error


# Venues and programmes ----------------------------------------------------------------


class VenueViewSet(RecordViewSet):
    """Creative spaces and sites the itineraries visit: shared reference, read
    by everyone signed in, written by staff."""

    model = Venue
    serializer_class = api.VenueSerializer
    filterset_class = VenueFilterSet

    @staticmethod
    def list_selector(*, user: User) -> QuerySet[Venue]:
        return selectors.venue_list().order_by("name", "pk")

    @staticmethod
    def get_selector(*, user: User, pk: Any) -> Venue:
        return selectors.venue_get(pk=pk)

    def prefetch(self, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related("contacts", "photos")

    def create_record(self, data: dict) -> Model:
        return services.venue_create(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.venue_update(user=self.request.user, venue=record, **data)

    def delete_record(self, record: Model) -> None:
        services.venue_delete(user=self.request.user, venue=record)


class VenuePhotoViewSet(RecordViewSet):
    """Photos of the venues: upload one with a multipart POST (a JPEG, PNG or
    WebP image of at most 10 MB), delete it; ``url`` serves the image."""

    model = VenuePhoto
    serializer_class = api.VenuePhotoRecordSerializer
    create_serializer_class = api.VenuePhotoUploadSerializer
    filterset_class = filters.VenuePhotoFilterSet
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "delete", "head", "options"]

    @staticmethod
    def list_selector(*, user: User) -> QuerySet[VenuePhoto]:
        return selectors.venue_photo_list()

    @staticmethod
    def get_selector(*, user: User, pk: Any) -> VenuePhoto:
        return selectors.venue_photo_get(pk=pk)

    def create_record(self, data: dict) -> Model:
        return services.venue_photo_add(user=self.request.user, **data)

    def delete_record(self, record: Model) -> None:
        services.venue_photo_delete(user=self.request.user, photo=record)


class ProgrammeViewSet(RecordViewSet):
    """Named series of events of one format, e.g. "Study tours for regional
    delegations 2023", with the number of their events the user may see."""

    model = Programme
    serializer_class = api.ProgrammeSerializer
    filterset_class = ProgrammeFilterSet

    @staticmethod
    def list_selector(*, user: User) -> QuerySet[Programme]:
        return selectors.programme_list(user=user)

    @staticmethod
    def get_selector(*, user: User, pk: Any) -> Programme:
        return selectors.programme_get(pk=pk, user=user)

    def create_record(self, data: dict) -> Model:
        return services.programme_create(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.programme_update(user=self.request.user, programme=record, **data)

    def delete_record(self, record: Model) -> None:
        services.programme_delete(user=self.request.user, programme=record)


# Events and itineraries ---------------------------------------------------------------


class EventViewSet(RecordViewSet):
    """Business missions, internships, study tours, outreach visits, seminars
    and forums. A regional partner sees those held in their regions, those
    their regions send a delegation to, and the study tours, business missions
    and forums open to registration and not over. Filter as the calendar does:
    ``event_format``, ``region``, ``status``, ``programme``, ``date_from``,
    ``date_to``, ``q``."""

    model = Event
    serializer_class = api.EventSerializer
    create_serializer_class = api.EventCreateSerializer
    filterset_class = EventFilterSet
    list_selector = staticmethod(selectors.event_list)
    get_selector = staticmethod(selectors.event_get_for_user)

    def prefetch(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("created_by").prefetch_related("hosts")

    def create_record(self, data: dict) -> Model:
        return services.event_create(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.event_update(user=self.request.user, event=record, **data)

    def delete_record(self, record: Model) -> None:
        services.event_delete(user=self.request.user, event=record)

    @extend_schema(responses=api.TotalsSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def totals(self, request: Request, pk: str) -> Response:
        """Registered, confirmed, waitlisted, cancelled and attended, of the
        registrations the user may see (a partner: their regions')."""
        event = self.get_object()
        registrations = selectors.registration_list(user=request.user, event=event)
        totals = selectors.registration_totals(registrations, event)
        return Response(api.TotalsSerializer(totals).data)

    @extend_schema(responses=api.FeedbackResultsSerializer)
    @action(
        detail=True,
        methods=["get"],
        url_path="feedback-results",
        filter_backends=[],
        pagination_class=None,
    )
    def feedback_results(self, request: Request, pk: str) -> Response:
        """What the participants said: the figures of everyone's answers; the
        comments, for a regional partner, of their regions' people only."""
        event = self.get_object()
        results = selectors.feedback_results(event)
        comments = results.comments
        if request.user.is_partner:
            visible = set(
                selectors.registration_list(user=request.user, event=event)
                .order_by()
                .values_list("pk", flat=True)
            )
            comments = [item for item in comments if item.registration_id in visible]
        body = api.FeedbackResultsSerializer(results).data
        body["comments"] = api.FeedbackCommentSerializer(comments, many=True).data
        return Response(body)


class SessionViewSet(RecordViewSet):
    """The itineraries' sessions: a time slot at a venue on a topic. Each lists
    the sessions at the same venue whose times overlap it (``conflicts``)."""

    model = Session
    serializer_class = api.SessionSerializer
    update_serializer_class = api.SessionUpdateSerializer
    filterset_class = filters.SessionFilterSet
    list_selector = staticmethod(selectors.session_list_for_user)
    get_selector = staticmethod(selectors.session_get_for_user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        sessions = list(page if page is not None else queryset)
        context = {
            **self.get_serializer_context(),
            "conflicts": api.session_conflicts_visible(sessions, request.user),
        }
        data = self.serializer_class(sessions, many=True, context=context).data
        return self.get_paginated_response(data)

    def create_record(self, data: dict) -> Model:
        return services.session_add(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.session_update(user=self.request.user, session=record, **data)

    def delete_record(self, record: Model) -> None:
        services.session_delete(user=self.request.user, session=record)


# Delegations and registrations --------------------------------------------------------


class DelegationViewSet(RecordViewSet):
    """Regions' delegations to events. A regional partner sees, registers and
    changes their own regions' delegations; staff any."""

    model = Delegation
    allowed_roles = (*services.STAFF_ROLES, PARTNER)
    serializer_class = api.DelegationSerializer
    update_serializer_class = api.DelegationUpdateSerializer
    filterset_class = filters.DelegationFilterSet
    list_selector = staticmethod(selectors.delegation_list)
    get_selector = staticmethod(selectors.delegation_get_for_user)

    def create_record(self, data: dict) -> Model:
        return services.delegation_create(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.delegation_update(user=self.request.user, delegation=record, **data)

    def delete_record(self, record: Model) -> None:
        services.delegation_delete(user=self.request.user, delegation=record)

    @extend_schema(
        request=api.MembersInputSerializer,
        responses=api.MemberOutcomeSerializer(many=True),
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def members(self, request: Request, pk: str) -> Response:
        """Registers members of the delegation for the whole itinerary, each
        with a role: a place while there are places, else the waitlist. A member
        already registered is reported and does not stop the others."""
        delegation = self.get_object()
        serializer = api.MembersInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        outcomes = services.delegation_register_members(
            user=request.user,
            delegation=delegation,
            members=[
                (member["person"], member.get("role"))
                for member in serializer.validated_data["members"]
            ],
        )
        return Response(api.MemberOutcomeSerializer(outcomes, many=True).data)


@extend_schema_view(
    update=extend_schema(exclude=True),
    partial_update=extend_schema(exclude=True),
    destroy=extend_schema(exclude=True),
)
class RegistrationViewSet(RecordViewSet):
    """People's places at events: confirmed, waitlisted or cancelled. Staff
    register a person here (a place while there are places, else the
    waitlist); a delegation's members are registered at
    ``/delegations/{id}/members/``. A registration is never deleted: cancel
    it, and the first on the waitlist gets the place."""

    model = Registration
    serializer_class = api.RegistrationSerializer
    filterset_class = filters.RegistrationApiFilterSet
    list_selector = staticmethod(selectors.registration_list)
    get_selector = staticmethod(selectors.registration_get_for_user)
    http_method_names = ["get", "post", "head", "options"]

    def get_permissions(self) -> list:
        if self.action == "cancel":
            # Partners cancel their own delegations' places: checked below.
            return [IsAuthenticated()]
        return super().get_permissions()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        registrations = list(page if page is not None else queryset)
        context = {
            **self.get_serializer_context(),
            "waitlist_positions": api.waitlist_positions(registrations),
        }
        data = self.serializer_class(registrations, many=True, context=context).data
        return self.get_paginated_response(data)

    def create_record(self, data: dict) -> Model:
        delegation = data.get("delegation")
        try:
            return services.registration_create(
                event=data["event"],
                person=data["person"],
                source=(
                    Registration.Source.DELEGATION
                    if delegation
                    else Registration.Source.STAFF
                ),
                delegation=delegation,
                role=data.get("role"),
            )
        except ValidationError as error:
            raise _person_errors_as_such(error) from error

    @extend_schema(request=None, responses=api.RegistrationSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancels the place; a confirmed place freed goes to the first on the
        waitlist, who is told by e-mail. Staff cancel any registration, a
        regional partner those of their own regions' delegations."""
        registration = self.get_object()
        delegation = registration.delegation
        allowed = services.user_is_programme_staff(request.user) or (
            delegation is not None
            and request.user.is_partner
            and services.user_can_register_delegations(request.user, delegation.region)
        )
        if not allowed:
            raise PermissionDenied(
                _("Your role does not allow cancelling this registration.")
            )
        services.registration_cancel(registration=registration, user=request.user)
        return Response(self._read_back(registration))


# Attendance and feedback --------------------------------------------------------------


@extend_schema_view(
    update=extend_schema(exclude=True), partial_update=extend_schema(exclude=True)
)
class AttendanceViewSet(RecordViewSet):
    """Who was present at which session. Staff record a presence (method
    ``qr``, ``search`` or ``grid``; recording it twice changes nothing) and
    delete a wrong one."""

    model = Attendance
    serializer_class = api.AttendanceSerializer
    filterset_class = filters.AttendanceFilterSet
    list_selector = staticmethod(selectors.attendance_list)
    get_selector = staticmethod(selectors.attendance_get_for_user)
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_record(self, data: dict) -> Model:
        return services.check_in(user=self.request.user, **data)

    def delete_record(self, record: Model) -> None:
        services.attendance_set(
            user=self.request.user,
            registration=record.registration,
            session=record.session,
            present=False,
        )


class FeedbackViewSet(viewsets.ReadOnlyModelViewSet):
    """Participants' feedback (rating 1–5, would recommend 0–10, comment), of
    the registrations the user may see; the figures of an event are at
    ``/events/{id}/feedback-results/``. Participants send it from the link in
    their e-mail."""

    serializer_class = api.FeedbackSerializer
    filterset_class = filters.FeedbackFilterSet
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Feedback]:
        if getattr(self, "swagger_fake_view", False):
            return Feedback.objects.none()
        return selectors.feedback_list(user=self.request.user)

    def get_object(self) -> Feedback:
        return selectors.feedback_get_for_user(
            user=self.request.user, pk=self.kwargs["pk"]
        )


# Internships and outcomes -------------------------------------------------------------


class PlacementViewSet(RecordViewSet):
    """Internship placements: a participant at a host organisation, with dates,
    goals and the host's feedback. A regional partner sees those of their
    regions' participants or hosts."""

    model = InternshipPlacement
    serializer_class = api.PlacementSerializer
    update_serializer_class = api.PlacementUpdateSerializer
    filterset_class = filters.PlacementFilterSet
    list_selector = staticmethod(selectors.placement_list_for_user)
    get_selector = staticmethod(selectors.placement_get_any_for_user)

    def create_record(self, data: dict) -> Model:
        return services.placement_create(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.placement_update(user=self.request.user, placement=record, **data)

    def delete_record(self, record: Model) -> None:
        services.placement_delete(user=self.request.user, placement=record)


class OutcomeViewSet(RecordViewSet):
    """What events produced: follow-ups in the community's dialogue, agreements
    and projects to prepare with organisations."""

    model = Outcome
    serializer_class = api.OutcomeSerializer
    update_serializer_class = api.OutcomeUpdateSerializer
    filterset_class = filters.OutcomeFilterSet
    list_selector = staticmethod(selectors.outcome_list_for_user)
    get_selector = staticmethod(selectors.outcome_get_for_user)

    def create_record(self, data: dict) -> Model:
        return services.outcome_add(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.outcome_update(user=self.request.user, outcome=record, **data)

    def delete_record(self, record: Model) -> None:
        services.outcome_delete(user=self.request.user, outcome=record)
