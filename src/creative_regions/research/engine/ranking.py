"""Comparing regions: the composite index with its rank ranges, and peer regions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from creative_regions.research.engine.indicators import (
    ProfileRow,
    cagr,
    creative_totals,
    location_quotient,
    ratio,
)
from creative_regions.research.engine.parameters import SUB_SCORES
from creative_regions.research.engine.queries import Counts, SnapshotTotals

WEIGHT_JITTER = (0.5, 1.5)


@dataclass
class RankingRow:
    region_code: str
    size: float | None
    specialisation: float | None
    growth: float | None
    competitive_shift: float | None
    diversity: float | None
    size_score: float
    specialisation_score: float
    growth_score: float
    competitive_shift_score: float
    diversity_score: float
    index: float
    rank: int
    rank_min: int
    rank_max: int


RANKING_SCHEMA = pa.schema(
    [("region_code", pa.string())]
    + [(name, pa.float64()) for name in SUB_SCORES]
    + [(f"{name}_score", pa.float64()) for name in SUB_SCORES]
    + [
        ("index", pa.float64()),
        ("rank", pa.int64()),
        ("rank_min", pa.int64()),
        ("rank_max", pa.int64()),
    ]
)


def sub_scores(
    base: SnapshotTotals,
    target: SnapshotTotals,
    profile: Sequence[ProfileRow],
    *,
    years: float,
) -> dict[str, dict[str, float | None]]:
    """Raw sub-scores of every region with records at t1, from its creative
    (classified) records, on employees; ``C_r`` is the region's creative total.

    - size: ``C_r,t1``;
    - specialisation: the creative LQ, ``(C_r / X_r) / (C_N / X_N)`` at t1;
    - growth: the CAGR of ``C_r`` from t0 to t1;
    - competitive_shift: ``Σ_i ss_regional_ir / C_r,t0``, the creative employment
      the region gained beyond its sectors' national growth, per employee at t0;
    - diversity: Gini-Simpson ``1 - Σ_i s_ir²`` with ``s_ir = X_ir / C_r`` at t1.

    ``None`` where a denominator is 0 (no creative employees at t0, or at t1).
    """
    creative_base, creative_target = creative_totals(base), creative_totals(target)
    creative_nation = sum(counts.employees for counts in creative_target.values())
    regional_shift: dict[str, float] = {}
    squared_shares: dict[str, float] = {}
    for row in profile:
        regional_shift[row.region_code] = (
            regional_shift.get(row.region_code, 0.0) + row.ss_regional
        )
        creative = creative_target.get(row.region_code, Counts()).employees
        if creative:
            squared_shares[row.region_code] = (
                squared_shares.get(row.region_code, 0.0)
                + (row.employees / creative) ** 2
            )

    result = {}
    for region in sorted(target.regions):
        then = creative_base.get(region, Counts()).employees
        now = creative_target.get(region, Counts()).employees
        result[region] = {
            "size": float(now),
            "specialisation": location_quotient(
                now,
                target.region(region).employees,
                creative_nation,
                target.nation.employees,
            ),
            "growth": cagr(then, now, years),
            "competitive_shift": ratio(regional_shift.get(region, 0.0), then),
            "diversity": 1 - squared_shares[region] if now else None,
        }
    return result


def min_max_scores(values: Mapping[str, float | None]) -> dict[str, float]:
    """0-100 across regions: the lowest value gets 0, the highest 100. A region
    without a value gets 0, like the lowest; when every value is the same, nobody
    stands out and all get 0."""
    present = [value for value in values.values() if value is not None]
    low, high = (min(present), max(present)) if present else (0.0, 0.0)
    return {
        region: 100 * (value - low) / (high - low)
        if value is not None and high > low
        else 0.0
        for region, value in values.items()
    }


def ranking_rows(
    raw: Mapping[str, Mapping[str, float | None]],
    *,
    weights: Mapping[str, float],
    draws: int,
    seed: int,
) -> list[RankingRow]:
    """The composite index ``Σ_k w_k · score_k`` (weights summing to 1) and the rank
    of each region, 1 the highest; tied regions share the better rank.

    Rank ranges: ``draws`` times, every weight is multiplied by uniform(0.5, 1.5)
    and the weights summed to 1 again; ``rank_min``/``rank_max`` are the best and
    worst rank over those draws and the given weights themselves.
    """
    regions = list(raw)
    if not regions:
        return []
    scores = {
        name: min_max_scores({region: raw[region][name] for region in regions})
        for name in SUB_SCORES
    }
    score_matrix = np.array(
        [[scores[name][region] for name in SUB_SCORES] for region in regions]
    )
    given = np.array([weights[name] for name in SUB_SCORES])
    rng = np.random.default_rng(seed)
    jittered = given * rng.uniform(*WEIGHT_JITTER, size=(draws, len(SUB_SCORES)))
    jittered /= jittered.sum(axis=1, keepdims=True)
    # Column 0 holds the given weights, so the range always contains the rank.
    indices = score_matrix @ np.vstack([given, jittered]).T
    ranks = 1 + (indices[np.newaxis, :, :] > indices[:, np.newaxis, :]).sum(axis=1)

    rows = [
        RankingRow(
            region_code=region,
            **{name: raw[region][name] for name in SUB_SCORES},
            **{f"{name}_score": scores[name][region] for name in SUB_SCORES},
            index=float(indices[position, 0]),
            rank=int(ranks[position, 0]),
            rank_min=int(ranks[position].min()),
            rank_max=int(ranks[position].max()),
        )
        for position, region in enumerate(regions)
    ]
    return sorted(rows, key=lambda row: (row.rank, row.region_code))


@dataclass
class PeerRow:
    region_code: str
    peer_region_code: str
    similarity: float
    rank: int


PEERS_SCHEMA = pa.schema(
    [
        ("region_code", pa.string()),
        ("peer_region_code", pa.string()),
        ("similarity", pa.float64()),
        ("rank", pa.int64()),
    ]
)


def peer_rows(target: SnapshotTotals, *, count: int) -> list[PeerRow]:
    """For every region, the ``count`` regions whose creative structure is most
    alike: cosine similarity of the vectors of employees per creative sector at
    t1 (the same as of the sector shares). Ties go to the smaller region code;
    regions without creative employees have no peers and are nobody's peer."""
    sectors = sorted(target.sectors)
    regions = sorted(
        {
            region
            for (region, _sector), counts in target.cells.items()
            if counts.employees
        }
    )
    if not regions or count <= 0:
        return []
    vectors = np.array(
        [
            [target.cell(region, sector).employees for sector in sectors]
            for region in regions
        ],
        dtype=float,
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = np.clip(vectors @ vectors.T, -1.0, 1.0)
    rows = []
    for position, region in enumerate(regions):
        others = sorted(
            (other for other in range(len(regions)) if other != position),
            key=lambda other: (-similarity[position, other], regions[other]),
        )
        for rank, other in enumerate(others[:count], start=1):
            rows.append(
                PeerRow(
                    region_code=region,
                    peer_region_code=regions[other],
                    similarity=float(similarity[position, other]),
                    rank=rank,
                )
            )
    return rows
