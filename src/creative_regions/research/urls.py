from django.urls import path

from creative_regions.research import views, views_passport, views_runs, views_russia

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
    path(
        "research/regions/<str:code>/",
        views_passport.RegionPassportView.as_view(),
        name="region-passport",
    ),
    path(
        "research/methodology/",
        views_passport.MethodologyView.as_view(),
        name="methodology",
    ),
    path("research/russia/", views_russia.RussiaView.as_view(), name="russia"),
    path("research/runs/", views_runs.ResearchRunListView.as_view(), name="run-list"),
    path(
        "research/runs/create/",
        views_runs.ResearchRunCreateView.as_view(),
        name="run-create",
    ),
    path(
        "research/runs/<int:pk>/",
        views_runs.ResearchRunDetailView.as_view(),
        name="run-detail",
    ),
    path(
        "research/runs/<int:pk>/export/<slug:table>.<slug:file_format>",
        views_runs.ResearchRunExportView.as_view(),
        name="run-export",
    ),
]
