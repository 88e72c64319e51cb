from rest_framework import serializers

from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
)


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
