"""Role checks for views and API endpoints; region scoping lives in the querysets."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission


class RoleRequiredMixin(LoginRequiredMixin):
    """Lets in signed-in users holding one of ``allowed_roles``; others get 403."""

    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_role(*self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HasRole(BasePermission):
    """DRF permission: the view's ``allowed_roles`` for unsafe methods."""

    message = "Your role does not allow this action."

    def has_permission(self, request: Any, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return request.user.has_role(*getattr(view, "allowed_roles", ()))
