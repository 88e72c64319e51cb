from rest_framework import serializers

from creative_regions.geo.models import Region


class RegionSerializer(serializers.ModelSerializer):
    # Blank for the four regions added in 2022: no decree assigns them a district.
    federal_district = serializers.ChoiceField(
        choices=Region.FederalDistrict.choices, allow_blank=True, read_only=True
    )
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
