"""One JSON body for every API error (RFC 7807 style), with messages per field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from creative_regions.core.exceptions import ApplicationError

NON_FIELD = "non_field_errors"


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        errors: dict[str, list[str]] = {}
        for field, value in detail.items():
            if isinstance(value, dict):
                for sub_field, messages in _flatten(value).items():
                    errors[f"{field}.{sub_field}"] = messages
            elif isinstance(value, list):
                errors[str(field)] = [str(item) for item in _leaves(value)]
            else:
                errors[str(field)] = [str(value)]
        return errors
    if isinstance(detail, list):
        return {NON_FIELD: [str(item) for item in _leaves(detail)]}
    return {}


def _leaves(items: list) -> list:
    flat: list = []
    for item in items:
        if isinstance(item, list | tuple):
            flat.extend(_leaves(list(item)))
        elif isinstance(item, dict):
            flat.extend(f"{key}: {value}" for key, value in item.items())
        else:
            flat.append(item)
    return flat


TITLES = {
    400: gettext_lazy("Invalid input"),
    401: gettext_lazy("Authentication required"),
    403: gettext_lazy("Permission denied"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    415: gettext_lazy("Unsupported media type"),
    429: gettext_lazy("Too many requests"),
}


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Turns every error into ``{type, title, status, detail, errors}``."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            # Django files rules of a whole record under "__all__".
            exc = exceptions.ValidationError(
                {
                    NON_FIELD if field == NON_FIELD_ERRORS else field: messages
                    for field, messages in exc.message_dict.items()
                }
            )
        else:
            exc = exceptions.ValidationError(exc.messages)
    elif isinstance(exc, ApplicationError):
        exc = exceptions.ValidationError(
            {exc.field or NON_FIELD: [exc.message]},
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        # A rule's own reason, when it gave one, tells the user more.
        exc = exceptions.PermissionDenied(str(exc) or None)

    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = _("Check the fields marked in errors.")
    else:
        errors = {}
        detail = str(getattr(exc, "detail", "")) or str(exc)
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(code, gettext_lazy("Error"))),
        "status": code,
        "detail": detail,
        "errors": errors,
    }
    response.data = body
    if code >= 500:
        response.status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
    return response
