"""Places in one app's pages where other apps add their own content.

An app that consumes another's data may add to the provider's pages without the
provider knowing it: the provider's template names a slot, the consumer declares
what it renders there in its ``AppConfig.template_extensions``. Imports then keep
pointing one way (the research passport shows "add to community" buttons, yet
research imports nothing of the community), and a page whose consumer is not
installed simply shows nothing in the slot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TemplateExtension:
    """What an app renders in a slot: ``renderer`` is the dotted path of a
    callable taking the template context and the slot's keyword arguments and
    returning safe HTML (e.g. from ``render_to_string``)."""

    slot: str
    renderer: str


@cache
def extension_renderers(slot: str) -> tuple[Callable[..., str], ...]:
    """The renderers of ``slot`` of every installed app, in the order of
    ``INSTALLED_APPS``; imported on first use, so declaring one imports nothing."""
    return tuple(
        import_string(extension.renderer)
        for config in apps.get_app_configs()
        for extension in getattr(config, "template_extensions", ())
        if extension.slot == slot
    )


@receiver(setting_changed)
def _forget_renderers(*, setting: str, **kwargs) -> None:
    # Tests that change the installed apps must not see the old renderers.
    if setting == "INSTALLED_APPS":
        extension_renderers.cache_clear()
