"""The community API: thin views over the selectors (reads, already scoped to the
user) and the services (writes, with every rule)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from creative_regions.community import selectors, services
from creative_regions.community.api import serializers as api
from creative_regions.community.filters import (
    AffiliationFilterSet,
    AttachmentFilterSet,
    CommunityFilterSet,
    ConsentFilterSet,
    FollowUpFilterSet,
    InteractionFilterSet,
    MembershipFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
)
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
from creative_regions.core.permissions import HasRole


class CommunityPermissionMixin:
    """Everyone signed in reads (scoped to their regions); the writer roles write
    (a partner in their regions only, checked by the services)."""

    allowed_roles = services.WRITER_ROLES
    request: Request

    def get_permissions(self) -> list:
        if self.request.method in SAFE_METHODS:
            return [IsAuthenticated()]
        return [IsAuthenticated(), HasRole()]


class RecordViewSet(CommunityPermissionMixin, viewsets.ModelViewSet):
    """CRUD over a selector and services; subclasses name them.

    Writes go through ``create_record``/``update_record``/``delete_record`` with
    the validated data; the answer is the record read back through the
    selector, as a list would show it.
    """

    model: ClassVar[type[Model]]
    update_serializer_class: ClassVar[type[BaseSerializer] | None] = None
    list_selector: ClassVar[Callable[..., QuerySet]]
    get_selector: ClassVar[Callable[..., Model]]
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return type(self).list_selector(user=self.request.user)

    def get_object(self) -> Model:
        record = type(self).get_selector(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action in {"update", "partial_update"} and self.update_serializer_class:
            return self.update_serializer_class
        return self.serializer_class

    def _read_back(self, record: Model) -> dict:
        fresh = type(self).get_selector(user=self.request.user, pk=record.pk)
        return self.serializer_class(fresh, context=self.get_serializer_context()).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.serializer_class(
            data=request.data, context=self.get_serializer_context()
        )
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


PAGE_PARAMETERS = [
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": 1000},
        description="Number of results to return per page.",
    ),
    OpenApiParameter(
        "offset",
        {"type": "integer", "minimum": 0, "maximum": 10**9},
        description="The initial index from which to return the results.",
    ),
]


def _interactions_page(view: viewsets.GenericViewSet, queryset: QuerySet) -> Response:
    page = view.paginate_queryset(queryset)
    data = api.InteractionSerializer(
        page, many=True, context=view.get_serializer_context()
    ).data
    return view.get_paginated_response(data)


class OrganisationViewSet(RecordViewSet):
    """Organisations of the regions: companies, authorities, spaces, universities...
    A regional partner sees and changes only their regions' organisations."""

    model = Organisation
    serializer_class = api.OrganisationSerializer
    filterset_class = OrganisationFilterSet
    list_selector = staticmethod(selectors.organisation_list)
    get_selector = staticmethod(selectors.organisation_get_for_user)

    def create_record(self, data: dict) -> Model:
        return services.organisation_create(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.organisation_update(
            user=self.request.user, organisation=record, **data
        )

    def delete_record(self, record: Model) -> None:
        services.organisation_delete(user=self.request.user, organisation=record)

    @extend_schema(
        responses=api.InteractionSerializer(many=True),
        parameters=PAGE_PARAMETERS,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def timeline(self, request: Request, pk: str) -> Response:
        """The interactions the organisation took part in, newest first."""
        organisation = self.get_object()
        return _interactions_page(
            self,
            selectors.organisation_timeline(
                user=request.user, organisation=organisation
            ),
        )

    @extend_schema(responses={200: api.RegisterFactsSerializer, 204: None})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def register(self, request: Request, pk: str) -> Response:
        """The register's facts on the organisation's INN over the snapshots of
        the store; 204 when it has no INN or the store does not list it."""
        organisation = self.get_object()
        facts = selectors.organisation_register_facts(
            user=request.user, organisation=organisation
        )
        if facts is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(api.RegisterFactsSerializer(facts).data)

    @extend_schema(
        request=api.OrganisationFromRegisterSerializer,
        responses={
            200: api.OrganisationFromRegisterResultSerializer,
            201: api.OrganisationFromRegisterResultSerializer,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="from-register",
        filter_backends=[],
        pagination_class=None,
    )
    def from_register(self, request: Request) -> Response:
        """Adds the organisation with an INN from the register store's facts, or
        returns the one already recorded (200)."""
        serializer = api.OrganisationFromRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.organisation_from_register(
            user=request.user, **serializer.validated_data
        )
        organisation = selectors.organisation_get_for_user(
            user=request.user, pk=link.organisation.pk
        )
        body = api.OrganisationFromRegisterResultSerializer(
            {
                "organisation": organisation,
                "created": link.created,
                "snapshot": link.snapshot,
            },
            context=self.get_serializer_context(),
        ).data
        return Response(
            body, status=status.HTTP_201_CREATED if link.created else status.HTTP_200_OK
        )


class PersonViewSet(RecordViewSet):
    """People of the regions with their roles and current affiliations."""

    model = Person
    serializer_class = api.PersonSerializer
    filterset_class = PersonFilterSet
    list_selector = staticmethod(selectors.person_list)
    get_selector = staticmethod(selectors.person_get_for_user)

    def create_record(self, data: dict) -> Model:
        return services.person_create(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.person_update(user=self.request.user, person=record, **data)

    def delete_record(self, record: Model) -> None:
        services.person_delete(user=self.request.user, person=record)

    @extend_schema(
        responses=api.InteractionSerializer(many=True),
        parameters=PAGE_PARAMETERS,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def timeline(self, request: Request, pk: str) -> Response:
        """The interactions the person took part in, newest first."""
        person = self.get_object()
        return _interactions_page(
            self, selectors.person_timeline(user=request.user, person=person)
        )


class AffiliationViewSet(RecordViewSet):
    """Who works where, with dates: a change of employer is a new affiliation."""

    model = Affiliation
    serializer_class = api.AffiliationSerializer
    update_serializer_class = api.AffiliationUpdateSerializer
    filterset_class = AffiliationFilterSet
    list_selector = staticmethod(selectors.affiliation_list)
    get_selector = staticmethod(selectors.affiliation_get_for_user)

    def create_record(self, data: dict) -> Model:
        return services.affiliation_add(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.affiliation_update(user=self.request.user, affiliation=record, **data)

    def delete_record(self, record: Model) -> None:
        services.affiliation_delete(user=self.request.user, affiliation=record)

    @extend_schema(request=api.DateInputSerializer, responses=api.AffiliationSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def end(self, request: Request, pk: str) -> Response:
        """Ends the affiliation on ``date`` (today by default)."""
        affiliation = self.get_object()
        serializer = api.DateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.affiliation_end(
            user=request.user,
            affiliation=affiliation,
            ended_on=serializer.validated_data.get("date"),
        )
        return Response(self._read_back(affiliation))


@extend_schema_view(destroy=extend_schema(exclude=True))
class ConsentViewSet(RecordViewSet):
    """People's consents (152-ФЗ) by purpose. A consent is never deleted:
    withdrawing it keeps the record as proof of what was allowed when."""

    model = Consent
    serializer_class = api.ConsentSerializer
    update_serializer_class = api.ConsentUpdateSerializer
    filterset_class = ConsentFilterSet
    list_selector = staticmethod(selectors.consent_list)
    get_selector = staticmethod(selectors.consent_get_for_user)
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def create_record(self, data: dict) -> Model:
        return services.consent_record(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.consent_update(user=self.request.user, consent=record, **data)

    @extend_schema(request=api.DateInputSerializer, responses=api.ConsentSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Records the withdrawal of the consent on ``date`` (today by default)."""
        consent = self.get_object()
        serializer = api.DateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.consent_withdraw(
            user=request.user,
            consent=consent,
            withdrawn_on=serializer.validated_data.get("date"),
        )
        return Response(self._read_back(consent))


class CommunityViewSet(RecordViewSet):
    """Communities of one or more regions; a partner sees those with a region of
    theirs."""

    model = Community
    serializer_class = api.CommunitySerializer
    filterset_class = CommunityFilterSet
    list_selector = staticmethod(selectors.community_list)
    get_selector = staticmethod(selectors.community_get_for_user)

    def create_record(self, data: dict) -> Model:
        return services.community_create(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.community_update(user=self.request.user, community=record, **data)

    def delete_record(self, record: Model) -> None:
        services.community_delete(user=self.request.user, community=record)


class MembershipViewSet(RecordViewSet):
    """Members of the communities: a person or an organisation each."""

    model = CommunityMembership
    serializer_class = api.MembershipSerializer
    update_serializer_class = api.MembershipUpdateSerializer
    filterset_class = MembershipFilterSet
    list_selector = staticmethod(selectors.membership_list)
    get_selector = staticmethod(selectors.membership_get_for_user)

    def create_record(self, data: dict) -> Model:
        return services.membership_add(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.membership_update(user=self.request.user, membership=record, **data)

    def delete_record(self, record: Model) -> None:
        services.membership_delete(user=self.request.user, membership=record)

    @extend_schema(request=api.DateInputSerializer, responses=api.MembershipSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def leave(self, request: Request, pk: str) -> Response:
        """Records that the member left on ``date`` (today by default)."""
        membership = self.get_object()
        serializer = api.DateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.membership_remove(
            user=request.user,
            membership=membership,
            left_on=serializer.validated_data.get("date"),
        )
        return Response(self._read_back(membership))


class InteractionViewSet(RecordViewSet):
    """The dialogue: meetings, calls, letters, sessions with their participants,
    decisions, files and follow-ups."""

    model = Interaction
    serializer_class = api.InteractionSerializer
    update_serializer_class = api.InteractionUpdateSerializer
    filterset_class = InteractionFilterSet
    list_selector = staticmethod(selectors.interaction_list)
    get_selector = staticmethod(selectors.interaction_get_for_user)

    def create_record(self, data: dict) -> Model:
        follow_ups = [
            services.FollowUpInput(**item) for item in data.pop("follow_ups", [])
        ]
        return services.interaction_record(
            user=self.request.user, follow_ups=follow_ups, **data
        )

    def update_record(self, record: Model, data: dict) -> None:
        services.interaction_update(user=self.request.user, interaction=record, **data)

    def delete_record(self, record: Model) -> None:
        services.interaction_delete(user=self.request.user, interaction=record)


class FollowUpViewSet(RecordViewSet):
    """What to do after the interactions; ``mine=true&status=open`` gives the
    user's own open ones, overdue first."""

    model = FollowUp
    serializer_class = api.FollowUpSerializer
    update_serializer_class = api.FollowUpUpdateSerializer
    filterset_class = FollowUpFilterSet
    list_selector = staticmethod(selectors.follow_up_list)
    get_selector = staticmethod(selectors.follow_up_get_for_user)

    def create_record(self, data: dict) -> Model:
        return services.follow_up_add(user=self.request.user, **data)

    def update_record(self, record: Model, data: dict) -> None:
        services.follow_up_update(user=self.request.user, follow_up=record, **data)

    def delete_record(self, record: Model) -> None:
        services.follow_up_delete(user=self.request.user, follow_up=record)


class AttachmentViewSet(
    CommunityPermissionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Files of the interactions (minutes, letters, slides): upload one with a
    multipart POST, download it from ``download/``."""

    serializer_class = api.AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_class = AttachmentFilterSet
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[InteractionAttachment]:
        if getattr(self, "swagger_fake_view", False):
            return InteractionAttachment.objects.none()
        return selectors.attachment_list(user=self.request.user)

    def get_object(self) -> InteractionAttachment:
        return selectors.attachment_get_for_user(
            user=self.request.user, pk=self.kwargs["pk"]
        )

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.attachment_add(
            user=self.request.user,
            interaction=serializer.validated_data["interaction"],
            file=serializer.validated_data["file"],
        )

    def perform_destroy(self, instance: InteractionAttachment) -> None:
        services.attachment_delete(user=self.request.user, attachment=instance)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        """The file, under the name it was uploaded with."""
        attachment = self.get_object()
        # Always a download, never shown inline: a file could carry script.
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.name,
            content_type="application/octet-stream",
        )


# Reference lists and search ---------------------------------------------------------


class TagListApi(ListAPIView):
    """Tags in use, by name."""

    serializer_class = api.TagSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return selectors.tag_list()


class PersonRoleListApi(ListAPIView):
    """The roles a person can have."""

    serializer_class = api.PersonRoleSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return selectors.person_role_list()


class SectorListApi(APIView):
    """The creative sectors of the classifications, the values ``sectors``
    takes."""

    @extend_schema(responses=api.SectorChoiceSerializer(many=True))
    def get(self, request: Request) -> Response:
        choices = selectors.sector_choice_list()
        return Response(api.SectorChoiceSerializer(choices, many=True).data)


class CommunitySearchApi(APIView):
    """Organisations and people matching a query, best first (up to 10 each)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description="Names, INN, e-mail...; nothing is found for none.",
            )
        ],
        responses=api.SearchResultsSerializer,
    )
    def get(self, request: Request) -> Response:
        text = request.query_params.get("q", "").replace("\x00", "")
        results = selectors.community_search(user=request.user, text=text[:200])
        return Response(api.SearchResultsSerializer(results).data)
