from django.urls import path
from rest_framework.routers import SimpleRouter

from creative_regions.programmes.api import public, views

router = SimpleRouter()
router.register("venues", views.VenueViewSet, basename="venue")
router.register("venue-photos", views.VenuePhotoViewSet, basename="venue-photo")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("events", views.EventViewSet, basename="event")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("delegations", views.DelegationViewSet, basename="delegation")
router.register("registrations", views.RegistrationViewSet, basename="registration")
router.register("attendance", views.AttendanceViewSet, basename="attendance")
router.register("feedback", views.FeedbackViewSet, basename="feedback")
router.register("placements", views.PlacementViewSet, basename="placement")
router.register("outcomes", views.OutcomeViewSet, basename="outcome")

urlpatterns = [
    # Public registration: before the router, whose events/<pk>/ takes numbers.
    path(
        "events/<uuid:public_key>/registrations/",
        public.PublicRegistrationApi.as_view(),
        name="public-registration",
    ),
    *router.urls,
]
