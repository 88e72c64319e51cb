from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ClassificationVersion,
)


@admin.register(Classification)
class ClassificationAdmin(SimpleHistoryAdmin):
    list_display = ("key", "name_ru", "code_system", "active_version")


@admin.register(ClassificationVersion)
class ClassificationVersionAdmin(admin.ModelAdmin):
    list_display = (
        "classification",
        "label",
        "is_provisional",
        "entry_count",
        "imported_at",
    )
    list_filter = ("classification", "is_provisional")
    readonly_fields = ("file_sha256", "imported_at", "imported_by")


@admin.register(ClassificationEntry)
class ClassificationEntryAdmin(admin.ModelAdmin):
    list_display = ("code", "sector", "confidence", "version")
    list_filter = ("version__classification", "confidence")
    search_fields = ("code", "name", "sector")
