"""One research run: validate the inputs, read the store, compute every table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
from django.utils.translation import gettext as _

from creative_regions.registry.store import RegisterStore
from creative_regions.registry.summaries import partition_summary
from creative_regions.research.engine import queries
from creative_regions.research.engine.indicators import (
    LEADERS_SCHEMA,
    PROFILE_SCHEMA,
    REGIONS_SCHEMA,
    SECTORS_SCHEMA,
    leader_rows,
    profile_rows,
    region_rows,
    sector_rows,
)
from creative_regions.research.engine.parameters import (
    DEFAULT_CRITERIA,
    GrowthCriteria,
    ResearchInputError,
    normalised_weights,
)
from creative_regions.research.engine.ranking import (
    PEERS_SCHEMA,
    RANKING_SCHEMA,
    peer_rows,
    ranking_rows,
    sub_scores,
)

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class ResearchResult:
    """Everything a run computes, as Arrow tables (columns: the ``*_SCHEMA``s).

    - ``profile``: one row per region x creative sector present at the base or the
      target snapshot;
    - ``leaders``: the largest firms of each region x sector;
    - ``ranking``: one row per region, sub-scores, index and rank range;
    - ``peers``: for each region its most similar regions;
    - ``sectors``: national totals per sector;
    - ``regions``: totals per region, all records and creative ones.
    """

    base: date
    target: date
    snapshots: tuple[date, ...]
    profile: pa.Table
    leaders: pa.Table
    ranking: pa.Table
    peers: pa.Table
    sectors: pa.Table
    regions: pa.Table


def research_snapshots(store: RegisterStore) -> list[date]:
    """The snapshot dates the store holds, oldest first."""
    return store.published_snapshots()


def research_compute(
    store: RegisterStore,
    *,
    sectors: Sequence[tuple[str, str]],
    base: date,
    target: date,
    criteria: GrowthCriteria = DEFAULT_CRITERIA,
    region_criteria: Mapping[str, GrowthCriteria] | None = None,
    weights: Mapping[str, float] | None = None,
    leaders_per_cell: int = 10,
    peers: int = 5,
    rank_draws: int = 500,
    seed: int = 0,
    memory_limit: str = "2GB",
) -> ResearchResult:
    """Diagnoses the creative economy of every region between two snapshots of
    ``store``, from the snapshots' summaries (written on first use).

    ``sectors``: the (activity code, sector) pairs of a classification version; a
    record belongs to the sector of the most specific code covering its main
    activity, and records no code covers count only in the totals of regions and
    the nation. ``criteria`` applies to every region but those in
    ``region_criteria``; ``weights`` maps sub-score names (``SUB_SCORES``) to
    weights, equal by default. ``seed`` fixes the weight draws of the rank ranges.

    Raises ``ResearchInputError`` when base is not before target, the store is
    empty, a snapshot is missing, or a parameter is out of range.
    """
    if leaders_per_cell < 0 or peers < 0 or rank_draws < 0:
        raise ResearchInputError(
            _("The numbers of leaders, peers and draws cannot be negative.")
        )
    sector_of_code = _sector_of_code(sectors)
    normalised = normalised_weights(weights)
    years = (target - base).days / DAYS_PER_YEAR

    snapshots = store.published_snapshots()
    check_snapshots(snapshots, base=base, target=target)
    base_summary = partition_summary(
        store, base, needed=("totals", "headcounts"), memory_limit=memory_limit
    )
    target_summary = partition_summary(
        store, target, needed=("totals", "leaders"), memory_limit=memory_limit
    )
    connection = queries.research_connection(memory_limit)
    try:
        base_totals, target_totals = queries.snapshot_totals(
            connection,
            sectors=sector_of_code,
            base=base_summary,
            target=target_summary,
        )
        cell_firms, leaders = queries.creative_firms(
            connection,
            base=base_summary,
            target=target_summary,
            target_totals=target_totals,
            leaders_per_cell=leaders_per_cell,
        )
    finally:
        connection.close()

    profile = profile_rows(
        base_totals,
        target_totals,
        target_date=target,
        years=years,
        firms=cell_firms,
        criteria=criteria,
        region_criteria=region_criteria or {},
    )
    raw_scores = sub_scores(base_totals, target_totals, profile, years=years)
    return ResearchResult(
        base=base,
        target=target,
        snapshots=tuple(snapshots),
        profile=_table(profile, PROFILE_SCHEMA),
        leaders=_table(
            leader_rows(leaders, base_totals, target_totals),
            LEADERS_SCHEMA,
        ),
        ranking=_table(
            ranking_rows(raw_scores, weights=normalised, draws=rank_draws, seed=seed),
            RANKING_SCHEMA,
        ),
        peers=_table(peer_rows(target_totals, count=peers), PEERS_SCHEMA),
        sectors=_table(
            sector_rows(base_totals, target_totals, target_date=target, years=years),
            SECTORS_SCHEMA,
        ),
        regions=_table(region_rows(base_totals, target_totals), REGIONS_SCHEMA),
    )


def _sector_of_code(sectors: Sequence[tuple[str, str]]) -> dict[str, str]:
    result: dict[str, str] = {}
    for code, sector in sectors:
        if result.get(code, sector) != sector:
            raise ResearchInputError(
                _("The code %(code)s is given two sectors: %(first)s and %(second)s.")
                % {"code": code, "first": result[code], "second": sector},
                field="sectors",
            )
        result[code] = sector
    return result


def check_snapshots(snapshots: Sequence[date], *, base: date, target: date) -> None:
    """Refuses a run the store cannot answer: an empty store, a base or target it
    has no snapshot of, or a base that is not before the target."""
    if not snapshots:
        raise ResearchInputError(
            _("The register store is empty: import a register first."),
            field="source",
        )
    for name, wanted in (("base", base), ("target", target)):
        if wanted not in snapshots:
            raise ResearchInputError(
                _("The store has no snapshot of %(date)s; it has: %(present)s.")
                % {
                    "date": wanted.isoformat(),
                    "present": ", ".join(day.isoformat() for day in snapshots),
                },
                field=name,
            )
    if base >= target:
        raise ResearchInputError(
            _(
                "The base snapshot (%(base)s) must be earlier than the target "
                "(%(target)s)."
            )
            % {"base": base.isoformat(), "target": target.isoformat()},
            field="base",
        )


def _table(rows: Sequence[object], schema: pa.Schema) -> pa.Table:
    columns = {name: [getattr(row, name) for row in rows] for name in schema.names}
    return pa.table(columns, schema=schema)
