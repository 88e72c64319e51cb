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
]
