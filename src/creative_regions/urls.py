from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from creative_regions.core.api.views import MeApi, NotFoundApi

api_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", obtain_auth_token, name="token"),
    path("me/", MeApi.as_view(), name="me"),
    path("", include("creative_regions.geo.api.urls")),
    path("", include("creative_regions.research.api.urls")),
    path("community/", include(("creative_regions.community.api.urls", "community"))),
    path(
        "programmes/",
        include(("creative_regions.programmes.api.urls", "programmes")),
    ),
    re_path(r"^[\s\S]*$", NotFoundApi.as_view(), name="not-found"),
]

urlpatterns = [
    path("", include("creative_regions.core.urls")),
    path("", include("creative_regions.geo.urls")),
    path("", include("creative_regions.research.urls")),
    path("", include("creative_regions.registry.urls")),
    path("community/", include("creative_regions.community.urls")),
    path("programmes/", include("creative_regions.programmes.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_urlpatterns, "api"))),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
