from rest_framework import serializers

from creative_regions.geo.models import Region


class RegionSerializer(serializers.ModelSerializer):
    federal_district_name = serializers.CharField(
        source="get_federal_district_display", read_only=True
    )

    class Meta:
        model = Region
        fields = (
            "code",
            "iso_code",
            "okato",
            "name_ru",
            "name_en",
            "short_ru",
            "short_en",
            "federal_district",
            "federal_district_name",
            "capital_ru",
            "capital_en",
            "population",
            "population_year",
            "grid_row",
            "grid_col",
            "is_added_2022",
            "note",
        )
        read_only_fields = fields
