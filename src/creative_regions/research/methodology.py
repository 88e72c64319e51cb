"""Reads of the methodology page: one figure of a research run worked out again
from its stored inputs, with the arithmetic written out.

A figure is named by the run, the region, the sector (for region x sector
figures) and the metric, e.g. ``lq_employees``: the page then shows the formula,
the inputs with where they come from, and each step with the run's numbers,
``LQ = (40 / 140) / (45 / 213) = 1.352``. The arithmetic is done again here
from the stored totals, so the page is also a check of the stored result.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User, sees_all_regions
from creative_regions.geo.models import Region
from creative_regions.geo.selectors import region_get_for_user
from creative_regions.research.engine import SUB_SCORES
from creative_regions.research.engine.parameters import normalised_weights
from creative_regions.research.formatting import (
    format_number,
    format_percent,
)
from creative_regions.research.models import (
    GrowthClass,
    LeaderRow,
    PeerRow,
    ProfileCell,
    RankingRow,
    RegionTotal,
    ResearchRun,
    SectorTotal,
)
from creative_regions.research.passport import (
    DEFAULT_MIN_ORGANISATIONS,
    DOMINANT_FIRM_SHARE,
    HIGH_HHI,
    TOTAL_FIELDS,
    Totals,
    growth_of,
    ratio_of,
    sector_names,
)
from creative_regions.research.selectors import research_run_get

DAYS_PER_YEAR = 365.25
SPECIALISATION_STAR_LQ = 2.0


@dataclass(frozen=True)
class Input:
    """One number the figure is computed from, and where it is stored."""

    symbol: str
    label: str
    value: str
    origin: str = ""


@dataclass(frozen=True)
class Computation:
    metric: str
    anchor: str
    title: str
    run: ResearchRun
    region: Region
    sector: str
    sector_name: str
    inputs: list[Input] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    result: str = ""
    stored: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Metric:
    anchor: str
    title: object
    needs_sector: bool


# What the page can work out, the section of the page it belongs to, and whether
# it is a figure of a region x sector cell (or of the region as a whole).
METRICS = {
    "lq_employees": Metric("lq", gettext_lazy("Location quotient of employees"), True),
    "lq_organisations": Metric(
        "lq", gettext_lazy("Location quotient of organisations"), True
    ),
    "growth_employees": Metric("growth", gettext_lazy("Growth of employment"), True),
    "cagr_employees": Metric(
        "growth", gettext_lazy("Compound annual growth of employment"), True
    ),
    "cagr_organisations": Metric(
        "growth", gettext_lazy("Compound annual growth of organisations"), True
    ),
    "shift_share": Metric("shift-share", gettext_lazy("Shift-share"), True),
    "hhi": Metric("concentration", gettext_lazy("Herfindahl–Hirschman index"), True),
    "cr3": Metric("concentration", gettext_lazy("Share of the 3 largest firms"), True),
    "cr5": Metric("concentration", gettext_lazy("Share of the 5 largest firms"), True),
    "growth_class": Metric(
        "growth-classes", gettext_lazy("Growth class and growth point"), True
    ),
    "cluster_stars": Metric("stars", gettext_lazy("Cluster stars"), True),
    "structure": Metric("size", gettext_lazy("Share of the sector"), True),
    "coverage": Metric("caveats", gettext_lazy("Headcount coverage"), True),
    "leader": Metric("leaders", gettext_lazy("Industry leader"), True),
    "creative_organisations": Metric(
        "size", gettext_lazy("Creative organisations"), False
    ),
    "creative_employees": Metric("size", gettext_lazy("Creative employees"), False),
    "creative_share": Metric(
        "size", gettext_lazy("Creative share of employment"), False
    ),
    "creative_growth": Metric(
        "growth", gettext_lazy("Growth of creative employment"), False
    ),
    "index": Metric("index", gettext_lazy("Composite index and rank"), False),
    "peers": Metric("peers", gettext_lazy("Peer regions"), False),
}


def _n(value: float | None, places: int = 0) -> str:
    return format_number(value, places)


def _significant(value: float, digits: int = 4) -> str:
    """A small ratio with ``digits`` significant digits: 0,01477, not 0,0148."""
    if not value:
        return _n(value, digits)
    places = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return _n(value, places)


def _p(value: float | None, places: int = 1, *, signed: bool = False) -> str:
    return format_percent(value, places, signed=signed)


@dataclass
class _Context:
    """What every computation reads: the run, the region, the cell."""

    user: User
    run: ResearchRun
    region: Region
    sector: str
    sector_name: str
    metric: str
    inn: str
    cell: ProfileCell | None
    totals: Totals
    nation: Totals
    national: SectorTotal | None

    @property
    def years(self) -> float:
        return (self.run.target_snapshot - self.run.base_snapshot).days / DAYS_PER_YEAR

    def computation(self, **values) -> Computation:
        return Computation(
            metric=self.metric,
            anchor=METRICS[self.metric].anchor,
            title=str(METRICS[self.metric].title),
            run=self.run,
            region=self.region,
            sector=self.sector,
            sector_name=self.sector_name,
            **values,
        )

    def cell_input(self, symbol: str, field_name: str, label: str) -> Input:
        return Input(
            symbol,
            label,
            _n(getattr(self.cell, field_name)),
            _("profile of the region x sector, %(field)s") % {"field": field_name},
        )


def methodology_cell_get(
    *,
    user: User,
    run_id: str | None,
    code: str,
    sector: str = "",
    metric: str,
    inn: str = "",
) -> Computation:
    """The computation of one figure; 404 when the run or the region is not there
    for this user, ``ApplicationError`` (naming the parameter) when the metric is
    unknown or the region has no such sector in the run."""
    if metric not in METRICS:
        raise ApplicationError(
            _("Unknown figure “%(metric)s”; the page explains: %(known)s.")
            % {"metric": metric, "known": ", ".join(METRICS)},
            field="metric",
        )
    run = research_run_get(run_id=run_id or "latest")
    if run.status != ResearchRun.Status.SUCCEEDED:
        raise Http404("The run has no results.")
    region = region_get_for_user(user=user, code=code)
    names = sector_names(run=run)
    cell = None
    national = None
    if METRICS[metric].needs_sector:
        cell = (
            ProfileCell.objects.visible_to(user)
            .filter(run=run, region=region, sector=sector)
            .first()
        )
        if cell is None:
            raise ApplicationError(
                _("%(region)s has no sector “%(sector)s” in run #%(run)s.")
                % {"region": region.name, "sector": sector, "run": run.pk},
                field="sector",
            )
        national = SectorTotal.objects.filter(run=run, sector=sector).first()
    context = _Context(
        user=user,
        run=run,
        region=region,
        sector=sector if cell is not None else "",
        sector_name=names.get(sector, sector) if cell is not None else "",
        metric=metric,
        inn=inn,
        cell=cell,
        totals=Totals.of(
            RegionTotal.objects.visible_to(user).filter(run=run, region=region).first()
        ),
        nation=Totals.of(
            RegionTotal.objects.filter(run=run).aggregate(
                **{name: Sum(name) for name in TOTAL_FIELDS}
            )
        ),
        national=national,
    )
    return COMPUTATIONS[metric](context)


# Region x sector figures ------------------------------------------------------------


def _location_quotient(context: _Context) -> Computation:
    variable = context.metric.removeprefix("lq_")
    cell = context.cell
    assert cell is not None
    national_value = getattr(context.national, variable, 0) if context.national else 0
    values = (
        getattr(cell, variable),
        getattr(context.totals, variable),
        national_value,
        getattr(context.nation, variable),
    )
    cell_value, region_value, sector_value, nation_value = values
    # Whole sentences per variable: Russian declines the noun differently in each.
    if variable == "employees":
        labels = (
            _("employees of the sector in the region"),
            _("employees of every record of the region"),
            _("employees of the sector in Russia"),
            _("employees of every record in Russia"),
        )
    else:
        labels = (
            _("organisations of the sector in the region"),
            _("organisations of every record of the region"),
            _("organisations of the sector in Russia"),
            _("organisations of every record in Russia"),
        )
    origins = (
        _("profile of the region x sector"),
        _("region totals of the run"),
        _("sector totals of the run"),
        _("sum of the region totals"),
    )
    inputs = [
        Input(symbol, label, _n(value), origin)
        for symbol, label, value, origin in zip(
            ("X_ir", "X_r", "X_iN", "X_N"), labels, values, origins, strict=True
        )
    ]
    steps = ["LQ = (X_ir / X_r) / (X_iN / X_N)"]
    region_share = ratio_of(cell_value, region_value)
    nation_share = ratio_of(sector_value, nation_value)
    result = None
    if region_share is not None and nation_share:
        result = region_share / nation_share
        steps += [
            f"= ({_n(cell_value)} / {_n(region_value)}) / "
            f"({_n(sector_value)} / {_n(nation_value)})",
            f"= {_significant(region_share)} / {_significant(nation_share)}",
            f"= {_n(result, 3)}",
        ]
    notes = [
        _(
            "LQ above 1: the sector takes a larger part of the region's economy "
            "than of Russia's; 2 or more earns the specialisation star."
        )
    ]
    return context.computation(
        inputs=inputs,
        steps=steps,
        result=_n(result, 3),
        stored=_n(getattr(cell, context.metric), 3),
        notes=notes,
    )


def _growth(context: _Context) -> Computation:
    cell = context.cell
    assert cell is not None
    variable = (
        "organisations" if context.metric.endswith("organisations") else ("employees")
    )
    base, target = getattr(cell, f"{variable}_base"), getattr(cell, variable)
    years = context.years
    inputs = [
        context.cell_input(
            "X_t0",
            f"{variable}_base",
            _("at the base snapshot, %(date)s")
            % {"date": context.run.base_snapshot.isoformat()},
        ),
        context.cell_input(
            "X_t1",
            variable,
            _("at the target snapshot, %(date)s")
            % {"date": context.run.target_snapshot.isoformat()},
        ),
        Input(
            "t1 − t0",
            _("years between the snapshots (days / 365.25)"),
            _n(years, 3),
            _("dates of the run"),
        ),
    ]
    steps: list[str] = []
    notes: list[str] = []
    result = None
    stored = ""
    if context.metric == "growth_employees":
        steps.append("g_ir = X_t1 / X_t0 − 1")
        result = growth_of(base, target)
        if result is not None:
            steps += [
                f"= {_n(target)} / {_n(base)} − 1",
                f"= {_p(result, signed=True)}",
            ]
        national = context.national
        if national is not None:
            inputs.append(
                Input(
                    "g_iN",
                    _("growth of the sector's employment in Russia"),
                    _p(national.growth_employees, signed=True),
                    _("sector totals: %(base)s → %(target)s")
                    % {
                        "base": _n(national.employees_base),
                        "target": _n(national.employees),
                    },
                )
            )
            if result is not None and national.growth_employees is not None:
                notes.append(
                    _(
                        "The sector grew %(difference)s percentage points faster "
                        "than in Russia."
                    )
                    % {
                        "difference": format_number(
                            (result - national.growth_employees) * 100, 1, signed=True
                        )
                    }
                )
        stored = _p(result, signed=True)
        return context.computation(
            inputs=inputs,
            steps=steps,
            result=_p(result, signed=True),
            stored=stored,
            notes=notes,
        )
    steps.append("CAGR = (X_t1 / X_t0)^(1 / (t1 − t0)) − 1")
    if base:
        result = (target / base) ** (1 / years) - 1
        steps += [
            f"= ({_n(target)} / {_n(base)})^(1 / {_n(years, 3)}) − 1",
            f"= {_n(target / base, 4)}^{_n(1 / years, 4)} − 1",
            f"= {_p(result, 2, signed=True)}",
        ]
    else:
        notes.append(_("Nothing at the base snapshot: the growth rate is not defined."))
    return context.computation(
        inputs=inputs,
        steps=steps,
        result=_p(result, 2, signed=True),
        stored=_p(getattr(cell, context.metric), 2, signed=True),
        notes=notes,
    )


def _shift_share(context: _Context) -> Computation:
    cell = context.cell
    assert cell is not None
    base, target = cell.employees_base, cell.employees
    national_growth = growth_of(context.nation.employees_base, context.nation.employees)
    sector_growth = (
        growth_of(context.national.employees_base, context.national.employees)
        if context.national
        else None
    )
    inputs = [
        context.cell_input("X_ir,t0", "employees_base", _("employees at the base")),
        context.cell_input("X_ir,t1", "employees", _("employees at the target")),
        Input(
            "g_N",
            _("growth of all employees in Russia"),
            _p(national_growth, 2, signed=True),
            f"{_n(context.nation.employees)} / {_n(context.nation.employees_base)} − 1",
        ),
        Input(
            "g_iN",
            _("growth of the sector's employees in Russia"),
            _p(sector_growth, 2, signed=True),
            (
                f"{_n(context.national.employees)} / "
                f"{_n(context.national.employees_base)} − 1"
            )
            if context.national
            else "",
        ),
    ]
    change = target - base
    steps = [
        "ΔX_ir = X_ir,t1 − X_ir,t0 = "
        f"{_n(target)} − {_n(base)} = {format_number(change, signed=True)}"
    ]
    notes = []
    if base and national_growth is not None and sector_growth is not None:
        cell_growth = target / base - 1
        national = base * national_growth
        mix = base * (sector_growth - national_growth)
        regional = change - national - mix
        inputs.append(
            Input(
                "g_ir",
                _("growth of the sector's employees in the region"),
                _p(cell_growth, 2, signed=True),
                f"{_n(target)} / {_n(base)} − 1",
            )
        )
        steps += [
            f"NS = X_ir,t0 · g_N = {_n(base)} · {_n(national_growth, 4)} = "
            f"{format_number(national, 2, signed=True)}",
            f"IM = X_ir,t0 · (g_iN − g_N) = {_n(base)} · "
            f"({_n(sector_growth, 4)} − {_n(national_growth, 4)}) = "
            f"{format_number(mix, 2, signed=True)}",
            f"RS = X_ir,t0 · (g_ir − g_iN) = {_n(base)} · "
            f"({_n(cell_growth, 4)} − {_n(sector_growth, 4)}) = "
            f"{format_number(regional, 2, signed=True)}",
            f"NS + IM + RS = {format_number(national, 2, signed=True)} "
            f"{format_number(mix, 2, signed=True)} "
            f"{format_number(regional, 2, signed=True)} = "
            f"{format_number(change, signed=True)}",
        ]
    else:
        notes.append(
            _(
                "The sector had no employees in the region at the base snapshot: "
                "national growth and industry mix are multiples of 0, so the whole "
                "change is the regional shift."
            )
        )
        steps.append(f"NS = 0, IM = 0, RS = {format_number(change, signed=True)}")
    stored = " · ".join(
        (
            f"NS {format_number(cell.ss_national, 2, signed=True)}",
            f"IM {format_number(cell.ss_industry_mix, 2, signed=True)}",
            f"RS {format_number(cell.ss_regional, 2, signed=True)}",
        )
    )
    return context.computation(
        inputs=inputs, steps=steps, result="", stored=stored, notes=notes
    )


def _leaders_of(context: _Context) -> list[LeaderRow]:
    return list(
        LeaderRow.objects.visible_to(context.user)
        .filter(run=context.run, region=context.region, sector=context.sector)
        .order_by("rank")
    )


def _concentration(context: _Context) -> Computation:
    cell = context.cell
    assert cell is not None
    leaders = _leaders_of(context)
    total = cell.employees
    inputs = [
        context.cell_input(
            "Σq", "employees", _("employees of the sector's firms with a headcount")
        )
    ]
    for leader in leaders[:10]:
        inputs.append(
            Input(
                f"q_{leader.rank}",
                leader.name or leader.inn,
                _n(leader.employees),
                _("INN %(inn)s, industry leaders of the run") % {"inn": leader.inn},
            )
        )
    steps: list[str] = []
    notes: list[str] = []
    result = ""
    stored = ""
    if context.metric in ("cr3", "cr5") and total:
        count = 3 if context.metric == "cr3" else 5
        top = leaders[:count]
        top_sum = sum(leader.employees for leader in top)
        steps = [
            f"CR{count} = (q_1 + … + q_{count}) / Σq",
            f"= ({' + '.join(_n(leader.employees) for leader in top)}) / {_n(total)}",
            f"= {_n(top_sum)} / {_n(total)} = {_p(top_sum / total)}",
        ]
        result = _p(top_sum / total)
        stored = _p(getattr(cell, f"{context.metric}_employees"))
    elif total:
        terms = [(100 * leader.employees / total) ** 2 for leader in leaders]
        shown = sum(terms)
        hhi = cell.hhi_employees or 0.0
        steps = [
            "HHI = Σ_j (100 · q_j / Σq)²",
            " + ".join(
                f"(100 · {_n(leader.employees)} / {_n(total)})²"
                for leader in leaders[:5]
            )
            + (" + …" if len(leaders) > 5 else ""),
            _("largest %(count)s firms: %(value)s")
            % {"count": len(leaders), "value": _n(shown, 1)},
        ]
        rest = hhi - shown
        if rest > 0.05:
            steps.append(
                _("the other firms of the sector: %(value)s") % {"value": _n(rest, 1)}
            )
        steps.append(f"HHI = {_n(hhi, 1)}")
        result = _n(hhi, 0)
        stored = _n(cell.hhi_employees, 0)
        notes.append(
            _(
                "Equivalent number of equal firms n* = 10 000 / HHI = %(count)s. "
                "Above %(limit)s the sector is highly concentrated."
            )
            % {"count": _n(10_000 / hhi, 1) if hhi else "—", "limit": _n(HIGH_HHI)}
        )
    if leaders and leaders[0].share >= DOMINANT_FIRM_SHARE:
        notes.append(
            _("One firm holds %(share)s of the sector: its figures are that firm's.")
            % {"share": _p(leaders[0].share, 0)}
        )
    return context.computation(
        inputs=inputs, steps=steps, result=result, stored=stored, notes=notes
    )


def _growth_class(context: _Context) -> Computation:
    cell = context.cell
    assert cell is not None
    parameters = context.run.parameters
    rule = (parameters.get("region_criteria") or {}).get(context.region.code, {})
    min_organisations = rule.get(
        "min_organisations",
        parameters.get("min_organisations", DEFAULT_MIN_ORGANISATIONS),
    )
    min_cagr = rule.get("min_cagr", parameters.get("min_cagr"))
    cell_growth = growth_of(cell.employees_base, cell.employees)
    national_growth = context.national.growth_employees if context.national else None
    is_large = cell.organisations >= min_organisations
    is_specialised = cell.lq_employees is not None and cell.lq_employees > 1
    if cell_growth is not None and national_growth is not None:
        grows_faster = cell_growth > national_growth
        growth_step = (
            f"g_ir = {_p(cell_growth, signed=True)} "
            f"{'>' if grows_faster else '≤'} g_iN = {_p(national_growth, signed=True)}"
        )
    else:
        grows_faster = (cell.ss_regional or 0) > 0
        growth_step = _(
            "no employees at the base: grows faster when its regional shift "
            "%(shift)s > 0"
        ) % {"shift": format_number(cell.ss_regional, 1, signed=True)}
    inputs = [
        context.cell_input("n", "organisations", _("organisations at the target")),
        Input(
            "n_min",
            _("minimum organisations to classify"),
            _n(min_organisations),
            _("parameters of the run"),
        ),
        Input("LQ", _("location quotient of employees"), _n(cell.lq_employees, 3)),
        Input("g_ir", _("growth of employment"), _p(cell_growth, signed=True)),
        Input(
            "g_iN",
            _("growth of the sector's employment in Russia"),
            _p(national_growth, signed=True),
        ),
        Input(
            "RS",
            _("regional shift, employees"),
            format_number(cell.ss_regional, 1, signed=True),
        ),
    ]
    steps = [
        f"n = {_n(cell.organisations)} {'≥' if is_large else '<'} "
        f"{_n(min_organisations)}"
        + ("" if is_large else " → " + str(GrowthClass.TOO_SMALL.label)),
    ]
    if is_large:
        steps += [
            f"LQ = {_n(cell.lq_employees, 3)} {'>' if is_specialised else '≤'} 1",
            growth_step,
            "→ " + str(GrowthClass(cell.growth_class).label),
        ]
        steps.append(
            _("growth point: star or emerging, and RS = %(shift)s > 0")
            % {"shift": format_number(cell.ss_regional, 1, signed=True)}
            + (
                _(", and CAGR ≥ %(floor)s") % {"floor": _p(min_cagr, 0)}
                if min_cagr is not None
                else ""
            )
            + " → "
            + (_("yes") if cell.is_growth_point else _("no"))
        )
    return context.computation(
        inputs=inputs,
        steps=steps,
        result=str(GrowthClass(cell.growth_class).label),
        stored=str(cell.get_growth_class_display())
        + (" · " + _("growth point") if cell.is_growth_point else ""),
    )


def _cluster_stars(context: _Context) -> Computation:
    cell = context.cell
    assert cell is not None
    region_employees = dict(
        RegionTotal.objects.filter(run=context.run, organisations__gt=0).values_list(
            "region_code", "employees"
        )
    )
    region_count = len(region_employees)
    places = (region_count + 9) // 10
    sector_cells = dict(
        ProfileCell.objects.filter(
            run=context.run, sector=context.sector, organisations__gt=0
        ).values_list("region_code", "employees")
    )
    size_place = 1 + sum(1 for value in sector_cells.values() if value > cell.employees)
    focus = {
        code: (value / region_employees[code]) if region_employees.get(code) else 0.0
        for code, value in sector_cells.items()
    }
    own_focus = focus.get(context.region.code, 0.0)
    focus_place = 1 + sum(1 for value in focus.values() if value > own_focus)
    has_size = cell.employees > 0 and size_place <= places
    has_focus = own_focus > 0 and focus_place <= places
    has_specialisation = (
        cell.lq_employees is not None and cell.lq_employees >= SPECIALISATION_STAR_LQ
    )
    inputs = [
        Input(
            "N",
            # xgettext:no-python-format
            _("regions with records at the target; the top 10 % is the first"),
            f"{_n(region_count)} → {_n(places)}",
            _("region totals of the run"),
        ),
        context.cell_input("X_ir", "employees", _("employees of the sector")),
        Input("LQ", _("location quotient of employees"), _n(cell.lq_employees, 3)),
        Input(
            "X_ir / X_r",
            _("the sector's share of the region's employment"),
            _p(own_focus, 2),
        ),
    ]
    yes, no = "★", "—"
    steps = [
        _("size: place %(place)s of %(count)s by employees in the sector → %(star)s")
        % {
            "place": _n(size_place),
            "count": _n(region_count),
            "star": yes if has_size else no,
        },
        _("specialisation: LQ = %(lq)s, needs ≥ 2 → %(star)s")
        % {"lq": _n(cell.lq_employees, 2), "star": yes if has_specialisation else no},
        _("focus: place %(place)s of %(count)s by the sector's share → %(star)s")
        % {
            "place": _n(focus_place),
            "count": _n(region_count),
            "star": yes if has_focus else no,
        },
        f"= {has_size + has_specialisation + has_focus}",
    ]
    return context.computation(
        inputs=inputs,
        steps=steps,
        result=_n(has_size + has_specialisation + has_focus),
        stored=_n(cell.cluster_stars),
    )


def _structure(context: _Context) -> Computation:
    cell = context.cell
    assert cell is not None
    region_share = ratio_of(cell.employees, context.totals.creative_employees)
    national_value = context.national.employees if context.national else 0
    nation_share = ratio_of(national_value, context.nation.creative_employees)
    inputs = [
        context.cell_input("X_ir", "employees", _("employees of the sector")),
        Input(
            "C_r",
            _("creative employees of the region"),
            _n(context.totals.creative_employees),
            _("region totals of the run"),
        ),
        Input("X_iN", _("employees of the sector in Russia"), _n(national_value)),
        Input(
            "C_N",
            _("creative employees in Russia"),
            _n(context.nation.creative_employees),
        ),
    ]
    steps = [
        f"s_ir = X_ir / C_r = {_n(cell.employees)} / "
        f"{_n(context.totals.creative_employees)} = {_p(region_share)}",
        f"s_iN = X_iN / C_N = {_n(national_value)} / "
        f"{_n(context.nation.creative_employees)} = {_p(nation_share)}",
    ]
    return context.computation(inputs=inputs, steps=steps, result=_p(region_share))


def _coverage(context: _Context) -> Computation:
    cell = context.cell
    assert cell is not None
    reporting = round((cell.employees_coverage or 0) * cell.organisations)
    inputs = [
        context.cell_input("n", "organisations", _("organisations of the sector")),
        Input(
            "n_q",
            _("of them with a headcount in the register"),
            _n(reporting),
            _("profile of the region x sector"),
        ),
    ]
    steps = [
        f"{_n(reporting)} / {_n(cell.organisations)} = {_p(cell.employees_coverage)}"
    ]
    notes = [
        _(
            "Organisations without a headcount count as organisations but add no "
            "employees, so employment figures are a lower bound."
        )
    ]
    return context.computation(
        inputs=inputs,
        steps=steps,
        result=_p(cell.employees_coverage),
        notes=notes,
    )


def _leader(context: _Context) -> Computation:
    cell = context.cell
    assert cell is not None
    leader = next((row for row in _leaders_of(context) if row.inn == context.inn), None)
    if leader is None:
        raise ApplicationError(
            _("INN %(inn)s is not among the leaders of this sector.")
            % {"inn": context.inn or "—"},
            field="inn",
        )
    cell_growth = growth_of(cell.employees_base, cell.employees)
    inputs = [
        Input(
            "q",
            _("employees of %(name)s at the target") % {"name": leader.name},
            _n(leader.employees),
            _("INN %(inn)s") % {"inn": leader.inn},
        ),
        Input(
            "q_t0",
            _("its employees at the base"),
            _n(leader.employees_base),
        ),
        context.cell_input("X_ir", "employees", _("employees of the sector")),
        Input("g_ir", _("growth of the sector"), _p(cell_growth, signed=True)),
    ]
    # Labels outside the f-strings, where makemessages finds them.
    share_label, growth_label = _("share"), _("growth")
    steps = [
        f"{share_label} = q / X_ir = {_n(leader.employees)} / {_n(cell.employees)} "
        f"= {_p(leader.share)}",
        _("anchor: share ≥ 10 %% → %(answer)s")
        % {"answer": _("yes") if leader.anchor else _("no")},
    ]
    if leader.growth is not None:
        steps.append(
            f"{growth_label} = q / q_t0 − 1 = {_n(leader.employees)} / "
            f"{_n(leader.employees_base)} − 1 = {_p(leader.growth, signed=True)}"
        )
    steps.append(
        _("growing: growth ≥ g_ir → %(answer)s")
        % {"answer": _("yes") if leader.growing else _("no")}
    )
    return context.computation(inputs=inputs, steps=steps, result=_p(leader.share))


# Region figures ---------------------------------------------------------------------


def _creative_size(context: _Context) -> Computation:
    variable = context.metric.removeprefix("creative_")
    value = getattr(context.totals, context.metric)
    nation = getattr(context.nation, context.metric)
    share = ratio_of(value, nation)
    symbol = "C_r"
    inputs = [
        Input(
            symbol,
            _("sum over the region's creative sectors"),
            _n(value),
            _("region totals of the run"),
        ),
        Input("C_N", _("sum over every region"), _n(nation), _("region totals")),
    ]
    steps = [
        f"C_r = Σ_i X_ir = {_n(value)}",
        f"w_r = C_r / C_N = {_n(value)} / {_n(nation)} = {_p(share, 2)}",
    ]
    notes = []
    if variable == "employees":
        notes.append(
            _(
                "Employees are the headcounts the register gives; organisations "
                "without one add none (see the caveats)."
            )
        )
    return context.computation(
        inputs=inputs, steps=steps, result=_n(value), notes=notes
    )


def _creative_share(context: _Context) -> Computation:
    totals, nation = context.totals, context.nation
    inputs = [
        Input(
            "C_r", _("creative employees of the region"), _n(totals.creative_employees)
        ),
        Input(
            "X_r", _("employees of every record of the region"), _n(totals.employees)
        ),
        Input("C_N", _("creative employees in Russia"), _n(nation.creative_employees)),
        Input("X_N", _("employees of every record in Russia"), _n(nation.employees)),
    ]
    steps = [
        f"S_r = C_r / X_r = {_n(totals.creative_employees)} / {_n(totals.employees)}"
        f" = {_p(totals.creative_share, 2)}",
        f"S_N = C_N / X_N = {_n(nation.creative_employees)} / {_n(nation.employees)}"
        f" = {_p(nation.creative_share, 2)}",
    ]
    return context.computation(
        inputs=inputs, steps=steps, result=_p(totals.creative_share, 2)
    )


def _creative_growth(context: _Context) -> Computation:
    totals, nation = context.totals, context.nation
    inputs = [
        Input(
            "C_r,t0",
            _("creative employees of the region at the base"),
            _n(totals.creative_employees_base),
        ),
        Input(
            "C_r,t1",
            _("creative employees of the region at the target"),
            _n(totals.creative_employees),
        ),
        Input(
            "C_N,t0",
            _("creative employees in Russia at the base"),
            _n(nation.creative_employees_base),
        ),
        Input(
            "C_N,t1",
            _("creative employees in Russia at the target"),
            _n(nation.creative_employees),
        ),
    ]
    steps = [
        f"g_r = C_r,t1 / C_r,t0 − 1 = {_n(totals.creative_employees)} / "
        f"{_n(totals.creative_employees_base)} − 1 = "
        f"{_p(totals.creative_growth, 1, signed=True)}",
        f"g_N = C_N,t1 / C_N,t0 − 1 = {_n(nation.creative_employees)} / "
        f"{_n(nation.creative_employees_base)} − 1 = "
        f"{_p(nation.creative_growth, 1, signed=True)}",
    ]
    if totals.creative_employees_base and context.years:
        cagr = (totals.creative_employees / totals.creative_employees_base) ** (
            1 / context.years
        ) - 1
        steps.append(
            f"CAGR_r = (1 + g_r)^(1 / {_n(context.years, 3)}) − 1 = "
            f"{_p(cagr, 2, signed=True)}"
        )
    return context.computation(
        inputs=inputs,
        steps=steps,
        result=_p(totals.creative_growth, 1, signed=True),
    )


def _index(context: _Context) -> Computation:
    ranking = (
        RankingRow.objects.visible_to(context.user)
        .filter(run=context.run, region=context.region)
        .first()
    )
    if ranking is None:
        raise ApplicationError(
            _("%(region)s is not ranked in run #%(run)s.")
            % {"region": context.region.name, "run": context.run.pk},
            field="region",
        )
    bounds = RankingRow.objects.filter(run=context.run).aggregate(
        count=Count("pk"),
        **{f"{name}_min": Min(name) for name in SUB_SCORES},
        **{f"{name}_max": Max(name) for name in SUB_SCORES},
    )
    weights = normalised_weights(context.run.parameters.get("weights"))
    names = {
        "size": _("size: creative employees"),
        "specialisation": _("specialisation: creative LQ"),
        "growth": _("growth: CAGR of creative employees"),
        "competitive_shift": _("competitive shift per employee at the base"),
        "diversity": _("diversity: 1 − Σ s_ir²"),
    }
    inputs = []
    steps = []
    index = 0.0
    for name in SUB_SCORES:
        value = getattr(ranking, name)
        low, high = bounds[f"{name}_min"], bounds[f"{name}_max"]
        score = getattr(ranking, f"{name}_score")
        places = 0 if name == "size" else 3
        inputs.append(
            Input(
                name,
                names[name],
                _n(value, places),
                _("lowest %(low)s, highest %(high)s across regions")
                % {"low": _n(low, places), "high": _n(high, places)},
            )
        )
        if value is not None and high is not None and low is not None and high > low:
            # A negative minimum in brackets: "0.1 − (−1.2)", not "0.1 − −1.2".
            lowest = _n(low, places) if low >= 0 else f"({_n(low, places)})"
            steps.append(
                f"score_{name} = 100 · ({_n(value, places)} − {lowest}) / "
                f"({_n(high, places)} − {lowest}) = {_n(score, 1)}"
            )
        else:
            steps.append(f"score_{name} = {_n(score, 1)}")
        index += weights[name] * score
    steps.append(
        "index = "
        + " + ".join(
            f"{_n(weights[name], 2)} · {_n(getattr(ranking, f'{name}_score'), 1)}"
            for name in SUB_SCORES
        )
        + f" = {_n(index, 1)}"
    )
    steps.append(
        _(
            "rank %(rank)s of %(count)s; over %(draws)s draws of the weights: "
            "%(low)s–%(high)s"
        )
        % {
            "rank": ranking.rank,
            "count": _n(bounds["count"]),
            "draws": _n(context.run.parameters.get("rank_draws", 500)),
            "low": ranking.rank_min,
            "high": ranking.rank_max,
        }
    )
    return context.computation(
        inputs=inputs,
        steps=steps,
        result=_n(index, 1),
        stored=_n(ranking.index, 1),
    )


def _peers(context: _Context) -> Computation:
    peer_rows = list(
        PeerRow.objects.visible_to(context.user)
        .filter(run=context.run, region=context.region)
        .order_by("rank")
    )
    codes = [row.peer_region_code for row in peer_rows]
    regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
    inputs = [
        Input(
            f"#{row.rank}",
            regions[row.peer_region_code].name
            if row.peer_region_code in regions
            else row.peer_region_code,
            _n(row.similarity, 3),
            _("cosine similarity"),
        )
        for row in peer_rows
    ]
    steps = ["cos(a, b) = Σ_i a_i · b_i / (‖a‖ · ‖b‖)"]
    notes = []
    if peer_rows and sees_all_regions(context.user):
        first = peer_rows[0].peer_region_code
        vectors: dict[str, dict[str, int]] = {}
        for code, sector, employees in ProfileCell.objects.filter(
            run=context.run, region_code__in=[context.region.code, first]
        ).values_list("region_code", "sector", "employees"):
            vectors.setdefault(code, {})[sector] = employees
        own, other = vectors.get(context.region.code, {}), vectors.get(first, {})
        dot = sum(value * other.get(sector, 0) for sector, value in own.items())
        own_norm = math.sqrt(sum(value**2 for value in own.values()))
        other_norm = math.sqrt(sum(value**2 for value in other.values()))
        if own_norm and other_norm:
            steps.append(
                f"cos({context.region.code}, {first}) = {_n(dot)} / "
                f"({_n(own_norm, 2)} · {_n(other_norm, 2)}) = "
                f"{_n(dot / (own_norm * other_norm), 3)}"
            )
    else:
        notes.append(
            _("The employees of other regions by sector are shown to agency staff.")
        )
    return context.computation(inputs=inputs, steps=steps, notes=notes)


COMPUTATIONS: dict[str, Callable[[_Context], Computation]] = {
    "lq_employees": _location_quotient,
    "lq_organisations": _location_quotient,
    "growth_employees": _growth,
    "cagr_employees": _growth,
    "cagr_organisations": _growth,
    "shift_share": _shift_share,
    "hhi": _concentration,
    "cr3": _concentration,
    "cr5": _concentration,
    "growth_class": _growth_class,
    "cluster_stars": _cluster_stars,
    "structure": _structure,
    "coverage": _coverage,
    "leader": _leader,
    "creative_organisations": _creative_size,
    "creative_employees": _creative_size,
    "creative_share": _creative_share,
    "creative_growth": _creative_growth,
    "index": _index,
    "peers": _peers,
}
