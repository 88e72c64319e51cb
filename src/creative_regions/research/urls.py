from django.urls import path

from creative_regions.research import views

app_name = "research"

urlpatterns = [
    path(
        "classifications/",
        views.ClassificationListView.as_view(),
        name="classification-list",
    ),
    path(
        "classifications/<slug:key>/",
        views.ClassificationDetailView.as_view(),
        name="classification-detail",
    ),
    path(
        "classifications/<slug:key>/export/",
        views.ClassificationExportView.as_view(),
        name="classification-export",
    ),
    path(
        "classifications/<slug:key>/import/",
        views.ClassificationImportView.as_view(),
        name="classification-import",
    ),
    path(
        "classifications/<slug:key>/match/",
        views.ClassificationMatchView.as_view(),
        name="classification-match",
    ),
    path(
        "classifications/<slug:key>/versions/<int:version_id>/activate/",
        views.ClassificationVersionActivateView.as_view(),
        name="classification-version-activate",
    ),
]
