"""The public registration through the API: the same fields, limits and rules as
the public page, without authentication, throttled per client address."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from creative_regions.geo.models import Region
from creative_regions.programmes import selectors, services
from creative_regions.programmes.forms_public import MAX_LENGTHS
from creative_regions.programmes.limits import (
    body_too_large,
    client_ip,
    max_body_kilobytes,
    rate_limit_usage,
)
from creative_regions.programmes.models import Registration


def _django_request(request: Request | HttpRequest) -> HttpRequest:
    return getattr(request, "_request", request)


class PublicRateThrottle(BaseThrottle):
    """The public page's limit (``settings.PUBLIC_RATE_LIMIT`` POSTs per client
    address), counted in the same budget."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.usage = rate_limit_usage(_django_request(request))
        return not (self.usage and self.usage["should_limit"])

    def wait(self) -> float | None:
        return max(self.usage["time_left"], 1) if self.usage else None


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class PublicRegistrationInputSerializer(serializers.Serializer):
    surname = serializers.CharField(max_length=MAX_LENGTHS["surname"])
    first_name = serializers.CharField(max_length=MAX_LENGTHS["first_name"])
    patronymic = serializers.CharField(
        max_length=MAX_LENGTHS["patronymic"], required=False, allow_blank=True
    )
    email = serializers.EmailField(max_length=MAX_LENGTHS["email"])
    phone = serializers.CharField(
        max_length=MAX_LENGTHS["phone"],
        required=False,
        allow_blank=True,
        help_text="With the area code, e.g. +7 912 345-67-89.",
    )
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        help_text="The two-digit code of the region the person lives or works in.",
    )
    position = serializers.CharField(
        max_length=MAX_LENGTHS["position"],
        required=False,
        allow_blank=True,
        help_text="Position and organisation, free text.",
    )
    consent = serializers.BooleanField(
        help_text=(
            "Consent to the processing of personal data under Federal Law "
            "No. 152-FZ, with the text the registration page shows; required "
            "(true)."
        )
    )


class PublicRegistrationResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            Registration.Status.CONFIRMED,
            Registration.Status.WAITLISTED,
        ],
        help_text="confirmed: a place; waitlisted: in the queue for one.",
    )
    waitlist_position = serializers.IntegerField(
        allow_null=True, help_text="1 for the first in the queue; null when confirmed."
    )
    message = serializers.CharField(help_text="The outcome in the asked language.")


class PublicRegistrationApi(APIView):
    """Registers a person for an event open to registration, as the public page
    does: consent required and recorded, the person matched by e-mail or phone,
    a confirmed place or the waitlist, the confirmation by e-mail in the
    language of Accept-Language."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    parser_classes = [JSONParser, FormParser]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Before anything reads the body (the limit is counted first).
        if body_too_large(_django_request(request)):
            raise RequestTooLarge(
                _("The request is too large: at most %(size)s KB are accepted.")
                % {"size": max_body_kilobytes()}
            )

    @extend_schema(
        operation_id="programmes_public_registration_create",
        summary="Register for an event (public, no authentication)",
        request=PublicRegistrationInputSerializer,
        responses={
            201: PublicRegistrationResultSerializer,
            413: OpenApiResponse(
                response={"$ref": "#/components/schemas/Problem"},
                description="The request body is too large.",
            ),
        },
        auth=[],
    )
    def post(self, request: Request, public_key) -> Response:
        # A closed event is refused by the service, with the reason.
        event = selectors.event_by_public_key(public_key=public_key)
        serializer = PublicRegistrationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = services.public_register(
            event=event,
            client=_("address %(ip)s") % {"ip": client_ip(_django_request(request))},
            **serializer.validated_data,
        )
        position = selectors.waitlist_position(registration)
        if position is None:
            message = _("Your place is confirmed")
        else:
            message = _("You are number %(position)s on the waitlist") % {
                "position": position
            }
        result = PublicRegistrationResultSerializer(
            {
                "status": registration.status,
                "waitlist_position": position,
                "message": message,
            }
        )
        return Response(result.data, status=status.HTTP_201_CREATED)
