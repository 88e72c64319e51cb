from django.urls import path
from rest_framework.routers import SimpleRouter

from creative_regions.community.api import views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("people", views.PersonViewSet, basename="person")
router.register("affiliations", views.AffiliationViewSet, basename="affiliation")
router.register("consents", views.ConsentViewSet, basename="consent")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")
router.register("attachments", views.AttachmentViewSet, basename="attachment")

urlpatterns = [
    *router.urls,
    path("tags/", views.TagListApi.as_view(), name="tag-list"),
    path("person-roles/", views.PersonRoleListApi.as_view(), name="person-role-list"),
    path("sectors/", views.SectorListApi.as_view(), name="sector-list"),
    path("search/", views.CommunitySearchApi.as_view(), name="search"),
]
