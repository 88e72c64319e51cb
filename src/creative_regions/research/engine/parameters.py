"""The inputs of a research run that are not data: growth-point criteria, the
weights of the composite index, and the error raised for bad input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from creative_regions.core.exceptions import ApplicationError

SUB_SCORES = ("size", "specialisation", "growth", "competitive_shift", "diversity")


class ResearchInputError(ApplicationError):
    """The run cannot start: a snapshot is missing, the dates are the wrong way
    round, the store is empty, or a parameter is out of range."""


@dataclass(frozen=True)
class GrowthCriteria:
    """When a region x sector cell is classified, and when it is a growth point.

    ``min_organisations``: below this many organisations at the target snapshot the
    cell is ``too_small`` (one firm moves its LQ and growth too much to read them).
    ``min_cagr``: when set, a growth point must also grow its employment at least
    this fast a year (``0.10`` for a region whose rule is "growth of 10 % a year").
    """

    min_organisations: int = 20
    min_cagr: float | None = None

    def __post_init__(self) -> None:
        if self.min_organisations < 0:
            raise ResearchInputError(
                _("The minimum number of organisations cannot be negative."),
                field="min_organisations",
            )


DEFAULT_CRITERIA = GrowthCriteria()


def normalised_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """The weights of the sub-scores, summing to 1; equal when none are given, and
    0 for a sub-score the caller leaves out."""
    if weights is None:
        return {name: 1 / len(SUB_SCORES) for name in SUB_SCORES}
    unknown = sorted(set(weights) - set(SUB_SCORES))
    if unknown:
        raise ResearchInputError(
            _("Unknown sub-scores %(names)s; use %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(SUB_SCORES)},
            field="weights",
        )
    if any(value < 0 for value in weights.values()):
        raise ResearchInputError(_("Weights cannot be negative."), field="weights")
    total = sum(weights.values())
    if total <= 0:
        raise ResearchInputError(
            _("At least one weight must be positive."), field="weights"
        )
    return {name: weights.get(name, 0.0) / total for name in SUB_SCORES}
