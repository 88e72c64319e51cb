"""The main menu: each app declares its own entries, so a module that is not
installed never shows a link."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class NavigationEntry:
    label: str
    url_name: str
    description: str = ""
    # Roles that see the entry; empty means every signed-in user.
    roles: tuple[str, ...] = ()


def navigation_for(user) -> list[NavigationEntry]:
    entries: list[NavigationEntry] = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "navigation", ()):
            if not entry.roles or user.has_role(*entry.roles):
                entries.append(entry)
    return entries
