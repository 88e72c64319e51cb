from django.contrib import admin

from creative_regions.registry.models import (
    QuarantinedRecord,
    RegistryImport,
    TableSourceMapping,
)


@admin.register(RegistryImport)
class RegistryImportAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "source",
        "status",
        "files_total",
        "records_stored",
        "created_at",
    )
    list_filter = ("source", "status")


@admin.register(QuarantinedRecord)
class QuarantinedRecordAdmin(admin.ModelAdmin):
    list_display = ("file_name", "document_id", "inn", "reason")
    list_filter = ("reason",)
    search_fields = ("inn", "document_id", "file_name")


@admin.register(TableSourceMapping)
class TableSourceMappingAdmin(admin.ModelAdmin):
    list_display = ("source", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")
