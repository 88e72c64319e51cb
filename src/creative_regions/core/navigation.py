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
    return [entry for group in navigation_groups_for(user) for entry in group.entries]


@dataclass(frozen=True)
class NavigationGroup:
    """An app's entries in the top bar: a link when it has one, a menu otherwise."""

    label: str
    entries: tuple[NavigationEntry, ...]


def navigation_groups_for(user) -> list[NavigationGroup]:
    groups = []
    for config in apps.get_app_configs():
        entries = tuple(
            entry
            for entry in getattr(config, "navigation", ())
            if not entry.roles or user.has_role(*entry.roles)
        )
        if entries:
            groups.append(NavigationGroup(str(config.verbose_name), entries))
    return groups
