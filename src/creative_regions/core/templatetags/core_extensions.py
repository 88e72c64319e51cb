"""Slots of a page that other apps fill in (see ``core.extensions``).

{% load core_extensions %}
{% has_extensions "research.passport.leader" as leader_actions %}
{% extension_slot "research.passport.leader" leader=leader passport=passport %}
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from creative_regions.core.extensions import extension_renderers

register = template.Library()


@register.simple_tag(takes_context=True)
def extension_slot(context, slot: str, **kwargs) -> str:
    """What every installed app renders in ``slot``, one after another."""
    parts = [
        conditional_escape(render(context, **kwargs))
        for render in extension_renderers(slot)
    ]
    # Each part is escaped unless its renderer marked it safe.
    return mark_safe("".join(parts))


@register.simple_tag
def has_extensions(slot: str) -> bool:
    """Whether some installed app fills ``slot``, e.g. to add a table column."""
    return bool(extension_renderers(slot))
