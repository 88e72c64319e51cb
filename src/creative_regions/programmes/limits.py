"""Limits of the public doors (the registration page and API, cancellation and
feedback): POSTs per client address, and the size of a request body. Both are
checked before anything reads the body."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django_ratelimit.core import get_usage

RATE_GROUP = "programmes.public"


def client_ip(request: HttpRequest) -> str:
    """The client's address: the connection's, or the last one the trusted proxy
    wrote in ``settings.CLIENT_IP_HEADER`` (earlier entries of X-Forwarded-For
    are whatever the client claimed)."""
    value = ""
    if settings.CLIENT_IP_HEADER:
        value = request.META.get(settings.CLIENT_IP_HEADER, "").split(",")[-1].strip()
    value = value or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return "0.0.0.0"


@dataclass(frozen=True)
class Refusal:
    status: int
    retry_after: int | None = None


def body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > settings.PUBLIC_MAX_BODY_BYTES


def rate_limit_usage(request: HttpRequest) -> dict | None:
    """Counts this POST against the client's budget; the usage, or ``None`` when
    the request is not counted (not a POST, or limits switched off)."""
    return get_usage(
        request,
        group=RATE_GROUP,
        key="ip",
        rate=settings.PUBLIC_RATE_LIMIT,
        method="POST",
        increment=True,
    )


def refusal_for(request: HttpRequest) -> Refusal | None:
    """Why a public POST is refused before it is read: too large (413) or too
    many from this address (429); ``None`` when it may go on."""
    if request.method != "POST":
        return None
    usage = rate_limit_usage(request)
    if usage and usage["should_limit"]:
        return Refusal(429, max(int(usage["time_left"]), 1))
    if body_too_large(request):
        return Refusal(413)
    return None


def max_body_kilobytes() -> int:
    return settings.PUBLIC_MAX_BODY_BYTES // 1024


def guard_public_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps a public page's view: a refused POST gets a readable page at once;
    the others are checked for CSRF (after the limits, so that an oversize body
    is not read to find the token) and served."""
    protected = csrf_protect(view)

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusal = refusal_for(request)
        if refusal is None:
            return protected(request, *args, **kwargs)
        response = render(
            request,
            "programmes/public/refused.html",
            {"refusal": refusal, "max_kilobytes": max_body_kilobytes()},
            status=refusal.status,
        )
        if refusal.retry_after:
            response["Retry-After"] = str(refusal.retry_after)
        return response

    return csrf_exempt(guarded)
