from django.urls import path
from rest_framework.routers import SimpleRouter

from creative_regions.research.api import views

router = SimpleRouter()
router.register(
    "classifications", views.ClassificationViewSet, basename="classification"
)

urlpatterns = [
    *router.urls,
    path(
        "classifications/<slug:key>/versions/",
        views.ClassificationVersionListApi.as_view(),
        name="classification-version-list",
    ),
    path(
        "classifications/<slug:key>/entries/",
        views.ClassificationEntryListApi.as_view(),
        name="classification-entry-list",
    ),
    path(
        "classifications/<slug:key>/match/",
        views.ClassificationMatchApi.as_view(),
        name="classification-match",
    ),
    path("research/runs/", views.ResearchRunListApi.as_view(), name="run-list"),
    path(
        "research/runs/<str:run_id>/",
        views.ResearchRunDetailApi.as_view(),
        name="run-detail",
    ),
    path(
        "research/runs/<str:run_id>/profile/",
        views.ProfileCellListApi.as_view(),
        name="run-profile",
    ),
    path(
        "research/runs/<str:run_id>/leaders/",
        views.LeaderRowListApi.as_view(),
        name="run-leaders",
    ),
    path(
        "research/runs/<str:run_id>/ranking/",
        views.RankingRowListApi.as_view(),
        name="run-ranking",
    ),
]
