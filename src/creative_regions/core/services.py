"""Writes of the core app: accounts."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import transaction

from creative_regions.core.models import User

DEMO_ADMIN_USERNAME = "admin"


def user_create(
    *,
    username: str,
    password: str,
    role: str,
    region_ids: Iterable[int] = (),
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Creates an account with a hashed password (Argon2) and its regions."""
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            role=role,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        user.regions.set(list(region_ids))
    return user


def demo_admin_ensure() -> tuple[User, str | None]:
    """Creates the demo administrator once; returns it and its new password, or
    ``None`` for the password when it already existed (it is never shown again)."""
    existing = User.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(12)
    user = user_create(
        username=DEMO_ADMIN_USERNAME,
        password=password,
        role=User.Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )
    return user, password
