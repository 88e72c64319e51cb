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
    readonly_fields = ("key", "code_system")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "active_version":
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = ClassificationVersion.objects.filter(
                classification_id=object_id
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Versions and their codes come only from imports, which check every row."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ClassificationVersion)
class ClassificationVersionAdmin(ReadOnlyAdmin):
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
class ClassificationEntryAdmin(ReadOnlyAdmin):
    list_display = ("code", "sector", "confidence", "version")
    list_filter = ("version__classification", "confidence")
    search_fields = ("code", "name", "sector")
