from django.urls import path

from creative_regions.registry import tables_views, views, views_firms

app_name = "registry"

urlpatterns = [
    path("registry/", views.RegistryStatusView.as_view(), name="status"),
    path(
        "registry/imports/create/",
        views.RegistryImportCreateView.as_view(),
        name="import-create",
    ),
    path(
        "registry/tables/import/",
        tables_views.RegistryTableImportView.as_view(),
        name="table-import",
    ),
    path(
        "registry/imports/<int:pk>/",
        views.RegistryImportDetailView.as_view(),
        name="import-detail",
    ),
    path(
        "registry/imports/<int:pk>/quarantine/",
        views.RegistryQuarantineView.as_view(),
        name="import-quarantine",
    ),
    path(
        "registry/imports/<int:pk>/quarantine/export/",
        views.RegistryQuarantineExportView.as_view(),
        name="import-quarantine-export",
    ),
    path(
        "registry/firms/<str:inn>/",
        views_firms.FirmHistoryView.as_view(),
        name="firm-history",
    ),
]
