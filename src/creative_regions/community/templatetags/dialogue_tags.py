"""Small computations the dialogue's pages show next to follow-ups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django import template

from creative_regions.community.models import FollowUp

register = template.Library()


@dataclass(frozen=True)
class FollowUpCounts:
    total: int
    open: int
    overdue: int


@register.simple_tag
def follow_up_counts(follow_ups: Iterable[FollowUp], today: date) -> FollowUpCounts:
    """How many of an interaction's follow-ups there are, are open, and are
    overdue on ``today`` (prefetched rows, so no query)."""
    rows = list(follow_ups)
    return FollowUpCounts(
        total=len(rows),
        open=sum(1 for row in rows if row.is_open),
        overdue=sum(1 for row in rows if row.is_overdue_on(today)),
    )


@register.filter
def days_overdue(follow_up: FollowUp, today: date) -> int:
    """Whole days past the due date on ``today``; 0 when not overdue."""
    if not follow_up.is_overdue_on(today):
        return 0
    return (today - follow_up.due_on).days
