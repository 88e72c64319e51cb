"""Writes of the core app: accounts and the log of personal-data exports."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import transaction

from creative_regions.core.models import PersonalDataExport, User

DEMO_ADMIN_USERNAME = "admin"


def user_create(
    *,
    username: str,
    password: str,
    role: str,
    region_ids: Iterable[int] = (),
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Creates an account with a hashed password (Argon2) and its regions; pages
    name the user by first and last name when they are given."""
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
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


def personal_data_export_log(
    *,
    user: User,
    dataset: str,
    row_count: int,
    query: str = "",
    purpose: str = "",
    file_format: str = "",
) -> PersonalDataExport:
    """Records that ``user`` downloaded ``row_count`` rows of ``dataset`` with the
    filter ``query`` (a query string) for ``purpose``. Call it in the same request
    that builds the file, before sending it."""
    entry = PersonalDataExport(
        user=user,
        username=user.get_username(),
        dataset=dataset,
        query=query,
        row_count=row_count,
        purpose=purpose,
        file_format=file_format,
    )
    entry.full_clean()
    entry.save()
    return entry
