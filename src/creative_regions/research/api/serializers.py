from rest_framework import serializers

from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
    LeaderRow,
    ProfileCell,
    RankingRow,
    ResearchRun,
)
from creative_regions.research.selectors import EXPORT_COLUMNS

PROFILE_FIELDS = EXPORT_COLUMNS["profile"][1:]


class ClassificationVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClassificationVersion
        fields = (
            "id",
            "label",
            "is_provisional",
            "source",
            "file_name",
            "file_sha256",
            "entry_count",
            "imported_at",
        )
        read_only_fields = fields


class ClassificationSerializer(serializers.ModelSerializer):
    active_version = ClassificationVersionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Classification
        fields = ("key", "name_ru", "name_en", "code_system", "active_version")
        read_only_fields = fields


class ClassificationEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ClassificationEntry
        fields = ("code", "name", "sector", "sector_en", "confidence", "source")
        read_only_fields = fields


class ClassificationMatchSerializer(serializers.Serializer):
    code = serializers.CharField()
    entry = ClassificationEntrySerializer(
        allow_null=True, help_text="The entry that covers the code, if any."
    )
    narrower = ClassificationEntrySerializer(
        many=True,
        help_text="When no entry covers the code: the creative codes below it.",
    )


class ResearchRunSerializer(serializers.ModelSerializer):
    classification = serializers.CharField(
        source="classification_version.classification.key", read_only=True
    )
    classification_version = serializers.CharField(
        source="classification_version.label", read_only=True
    )

    class Meta:
        model = ResearchRun
        fields = (
            "id",
            "classification",
            "classification_version",
            "source",
            "base_snapshot",
            "target_snapshot",
            "parameters",
            "status",
            "message",
            "snapshots",
            "timings",
            "created_at",
            "started_at",
            "finished_at",
        )
        read_only_fields = fields


class ResearchRunCreateSerializer(serializers.Serializer):
    """What a caller may choose for a run; the rest takes the defaults."""

    classification = serializers.SlugField(default="ru-minec-16")
    base_snapshot = serializers.DateField(required=False, allow_null=True)
    target_snapshot = serializers.DateField(required=False, allow_null=True)
    weights = serializers.DictField(
        child=serializers.FloatField(min_value=0), required=False
    )
    min_organisations = serializers.IntegerField(min_value=0, required=False)
    min_cagr = serializers.FloatField(required=False, allow_null=True)


class ProfileCellSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProfileCell
        fields = ("region_code", *PROFILE_FIELDS, "is_growth_point")
        read_only_fields = fields


class LeaderRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeaderRow
        fields = EXPORT_COLUMNS["leaders"]
        read_only_fields = fields


class RankingRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = RankingRow
        fields = EXPORT_COLUMNS["ranking"]
        read_only_fields = fields
