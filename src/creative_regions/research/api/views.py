from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from creative_regions.research.api.serializers import (
    ClassificationEntrySerializer,
    ClassificationMatchSerializer,
    ClassificationSerializer,
    ClassificationVersionSerializer,
)
from creative_regions.research.filters import ClassificationEntryFilterSet
from creative_regions.research.forms import CodeMatchForm
from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
)
from creative_regions.research.selectors import (
    classification_entry_list,
    classification_get,
    classification_list,
    classification_match,
    classification_version_get,
    classification_version_list,
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
        if version_id is not None and not version_id.isdigit():
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
