from django.contrib import admin

from creative_regions.geo.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ru", "name_en", "federal_district", "population")
    list_filter = ("federal_district", "is_added_2022")
    search_fields = ("code", "name_ru", "name_en", "capital_ru")
    ordering = ("code",)
