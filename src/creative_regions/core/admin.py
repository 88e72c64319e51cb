from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from creative_regions.core.models import PersonalDataExport, User

admin.site.site_header = _("Creative Regions: administration")
admin.site.site_title = _("Creative Regions")
admin.site.index_title = _("Administration")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "last_name", "role", "region_codes", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    filter_horizontal = ("regions", "groups", "user_permissions")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role and regions"), {"fields": ("role", "regions")}),
    )

    @admin.display(description=_("regions"))
    def region_codes(self, obj: User) -> str:
        return ", ".join(region.code for region in obj.regions.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("regions")

    def save_model(self, request, obj, form, change):
        # Administrators manage the site here, so they need the admin itself.
        if obj.role == User.Role.ADMINISTRATOR:
            obj.is_staff = True
        super().save_model(request, obj, form, change)

    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and regions"), {"fields": ("role", "regions")}),
    )


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(admin.ModelAdmin):
    """The log is evidence: it is read here, never written or changed."""

    list_display = ("exported_at", "username", "dataset", "row_count", "purpose")
    list_filter = ("dataset", "file_format")
    search_fields = ("username", "dataset", "query", "purpose")
    date_hierarchy = "exported_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
