from django.urls import path

from creative_regions.geo import views

app_name = "geo"

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/export/", views.RegionExportView.as_view(), name="region-export"),
    path("regions/map/", views.RegionMapView.as_view(), name="region-map"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region-detail"),
]
