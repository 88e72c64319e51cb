from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creative_regions.core.models import User
from creative_regions.core.permissions import HasRole
from creative_regions.research.api.filters import (
    LeaderRowFilterSet,
    ProfileCellFilterSet,
)
from creative_regions.research.api.serializers import (
    ClassificationEntrySerializer,
    ClassificationMatchSerializer,
    ClassificationSerializer,
    ClassificationVersionSerializer,
    LeaderRowSerializer,
    ProfileCellSerializer,
    RankingRowSerializer,
    ResearchRunCreateSerializer,
    ResearchRunSerializer,
)
from creative_regions.research.filters import ClassificationEntryFilterSet
from creative_regions.research.forms import CodeMatchForm
from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
    LeaderRow,
    ProfileCell,
    RankingRow,
    ResearchRun,
)
from creative_regions.research.selectors import (
    classification_entry_list,
    classification_get,
    classification_list,
    classification_match,
    classification_version_get,
    classification_version_list,
    research_run_get,
    research_run_list,
)
from creative_regions.research.services import (
    research_run_create,
    research_run_enqueue,
)


class ClassificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Classifications of the creative industries and their active versions."""

    serializer_class = ClassificationSerializer
    lookup_field = "key"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Classification]:
        return classification_list()

    def get_object(self) -> Classification:
        return classification_get(key=self.kwargs["key"])


class ClassificationVersionListApi(generics.ListAPIView):
    """Every imported version of a classification, newest first."""

    serializer_class = ClassificationVersionSerializer
    filter_backends: list = []
    queryset = ClassificationVersion.objects.none()

    def get_queryset(self) -> QuerySet[ClassificationVersion]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        classification = classification_get(key=self.kwargs["key"])
        return classification_version_list(classification=classification)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "version",
            OpenApiTypes.INT,
            description="Version id; the active version when omitted.",
        )
    ]
)
class ClassificationEntryListApi(generics.ListAPIView):
    """The codes of a version (the active one unless ``version`` is given)."""

    serializer_class = ClassificationEntrySerializer
    filterset_class = ClassificationEntryFilterSet
    # The schema generator needs the model without a request.
    queryset = ClassificationEntry.objects.none()

    def get_queryset(self) -> QuerySet[ClassificationEntry]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        classification = classification_get(key=self.kwargs["key"])
        version_id = self.request.query_params.get("version")
        if version_id is not None and not (
            version_id.isascii() and version_id.isdigit()
        ):
            raise serializers.ValidationError(
                {"version": ["A version id is a whole number."]}
            )
        version = classification_version_get(
            classification=classification, version_id=version_id
        )
        return classification_entry_list(version=version)


class ClassificationMatchApi(APIView):
    """The entry of the active version that covers an activity code, if any."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                required=True,
                description="Activity code, e.g. 58.11.2",
            ),
            OpenApiParameter(
                "version",
                OpenApiTypes.INT,
                description="Version id; the active version when omitted.",
            ),
        ],
        responses=ClassificationMatchSerializer,
    )
    def get(self, request: Request, key: str) -> Response:
        classification = classification_get(key=key)
        form = CodeMatchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        version = classification_version_get(
            classification=classification, version_id=form.cleaned_data["version"]
        )
        match = classification_match(version=version, code=form.cleaned_data["code"])
        return Response(ClassificationMatchSerializer(match).data)


# Research runs ----------------------------------------------------------------------

RUN_ID_PARAMETER = OpenApiParameter(
    "run_id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="A run id, or `latest` for the latest finished run.",
)


class ResearchRunListApi(generics.ListCreateAPIView):
    """Research runs, newest first. Analysts and administrators start one with
    POST; the background worker computes it (poll the run until ``status`` is
    ``succeeded`` or ``failed``)."""

    filter_backends: list = []
    allowed_roles = (User.Role.ADMINISTRATOR, User.Role.ANALYST)

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated(), HasRole()]
        return [IsAuthenticated()]

    def get_serializer_class(self):
        if self.request.method == "POST":
            return ResearchRunCreateSerializer
        return ResearchRunSerializer

    def get_queryset(self) -> QuerySet[ResearchRun]:
        return research_run_list()

    @extend_schema(
        request=ResearchRunCreateSerializer,
        responses={202: ResearchRunSerializer},
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = ResearchRunCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        parameters = {
            key: data[key]
            for key in ("weights", "min_organisations", "min_cagr")
            if key in data
        }
        run = research_run_create(
            classification=classification_get(key=data["classification"]),
            base=data.get("base_snapshot"),
            target=data.get("target_snapshot"),
            parameters=parameters,
            user=request.user,
        )
        research_run_enqueue(run=run)
        return Response(
            ResearchRunSerializer(run).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": f"{request.path}{run.pk}/"},
        )


@extend_schema(parameters=[RUN_ID_PARAMETER])
class ResearchRunDetailApi(generics.RetrieveAPIView):
    """One run: its inputs, status, timings."""

    serializer_class = ResearchRunSerializer
    filter_backends: list = []

    def get_object(self) -> ResearchRun:
        return research_run_get(run_id=self.kwargs["run_id"])


class RunResultApi(generics.ListAPIView):
    """Base of the result tables of a run; a regional partner gets their regions
    only."""

    model: type[ProfileCell | LeaderRow | RankingRow]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        run = research_run_get(run_id=self.kwargs["run_id"])
        return self.model.objects.filter(run=run).visible_to(self.request.user)


@extend_schema(parameters=[RUN_ID_PARAMETER])
class ProfileCellListApi(RunResultApi):
    """Region x sector indicators of a run (the columns of ``research export``)."""

    model = ProfileCell
    serializer_class = ProfileCellSerializer
    filterset_class = ProfileCellFilterSet


@extend_schema(parameters=[RUN_ID_PARAMETER])
class LeaderRowListApi(RunResultApi):
    """The largest firms of each region x sector of a run."""

    model = LeaderRow
    serializer_class = LeaderRowSerializer
    filterset_class = LeaderRowFilterSet


@extend_schema(parameters=[RUN_ID_PARAMETER])
class RankingRowListApi(RunResultApi):
    """The regions' composite index, rank and rank range in a run."""

    model = RankingRow
    serializer_class = RankingRowSerializer
    filter_backends: list = []
