"""The Russia page: the creative economy of every region from one research run —
the map, the ranking under weights the reader may change, the national sectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.htmx import HtmxPartialMixin
from creative_regions.core.models import sees_all_regions
from creative_regions.geo.models import Region
from creative_regions.geo.selectors import region_list, region_map_layout
from creative_regions.geo.tile_map import TileMap, tile_map_build, tile_map_highlight
from creative_regions.research.forms import (
    SUB_SCORE_HELP,
    SUB_SCORE_LABELS,
    SubScoreWeightsForm,
    weights_initial,
)
from creative_regions.research.models import ResearchRun
from creative_regions.research.selectors import (
    Ranking,
    research_national_totals,
    research_ranking_get,
    research_region_figures,
    research_run_get,
    research_run_latest,
    research_run_list,
    research_run_weights,
    research_sector_total_list,
)
from creative_regions.research.views_runs import RUN_STARTERS, RUN_VIEWERS, run_exports


@dataclass(frozen=True)
class MapMetric:
    label: str | Promise
    unit: str | Promise


MAP_METRICS = {
    "creative_share": MapMetric(
        gettext_lazy("Share of creative employment"),
        # xgettext:no-python-format
        gettext_lazy("% of the region's employees"),
    ),
    "index": MapMetric(gettext_lazy("Composite index"), gettext_lazy("points of 100")),
    "creative_cagr": MapMetric(
        gettext_lazy("Growth of creative employment"),
        gettext_lazy("% a year (CAGR)"),
    ),
}
DEFAULT_METRIC = "creative_share"
PARTIALS = {
    "russia-map": "research/partials/_russia_map.html",
    "russia-results": "research/partials/_russia_results.html",
}
RUN_CHOICES = 20


def passport_url(region: Region) -> str:
    return reverse("research:region-passport", kwargs={"code": region.code})


class RussiaView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """One URL for the page and its two fragments: the map (its metric select) and
    the results (the weights form, the map and the ranking), chosen by HX-Target.

    A regional partner sees the national totals and the sectors, and only their own
    regions on the map and in the ranking (ranked against every region).
    """

    template_name = "research/russia/page.html"

    @property
    def partial_template_name(self) -> str:
        return PARTIALS.get(self.request.htmx.target, PARTIALS["russia-results"])

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ("HX-Target",))
        return response

    def get_run(self) -> ResearchRun | None:
        requested = self.request.GET.get("run", "")
        if not requested:
            return research_run_latest()
        return research_run_get(run_id=requested)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        run = self.get_run()
        context.update(
            run=run,
            is_run_requested=bool(self.request.GET.get("run")),
            can_start=user.has_role(*RUN_STARTERS),
            can_see_runs=user.has_role(*RUN_VIEWERS),
            is_partner=not sees_all_regions(user),
        )
        if run is None or run.status != ResearchRun.Status.SUCCEEDED:
            # Runs on their way, besides the one the page already speaks of.
            context["unfinished"] = (
                research_run_list()
                .exclude(
                    status__in=(ResearchRun.Status.SUCCEEDED, ResearchRun.Status.FAILED)
                )
                .exclude(pk=run.pk if run else None)
            )
            return context

        is_bound = any(name in self.request.GET for name in SUB_SCORE_LABELS)
        form = SubScoreWeightsForm(
            self.request.GET if is_bound else None,
            initial=weights_initial(research_run_weights(run=run)),
        )
        try:
            ranking = research_ranking_get(
                run=run, user=user, weights=form.weights() if form.is_valid() else None
            )
        except ApplicationError as error:
            form.add_application_error(error)
            ranking = research_ranking_get(run=run, user=user)
        metric = self.request.GET.get("metric", DEFAULT_METRIC)
        if metric not in MAP_METRICS:
            metric = DEFAULT_METRIC
        context.update(
            form=form,
            ranking=ranking,
            sub_scores=[
                (label, SUB_SCORE_HELP[name])
                for name, label in SUB_SCORE_LABELS.items()
            ],
            weight_summary=[
                (label, ranking.weights[name])
                for name, label in SUB_SCORE_LABELS.items()
            ],
            metric=metric,
            metrics=MAP_METRICS,
            map=self.build_map(run, ranking, metric),
            national=research_national_totals(run=run),
            sectors=research_sector_total_list(run=run),
            runs=research_run_list().filter(status=ResearchRun.Status.SUCCEEDED)[
                :RUN_CHOICES
            ],
            exports=run_exports(run),
        )
        return context

    def build_map(self, run: ResearchRun, ranking: Ranking, metric: str) -> TileMap:
        user = self.request.user
        if metric == "index":
            values = {row.region_code: row.index for row in ranking.rows}
        else:
            values = {
                code: None if value is None else 100 * value
                for code, figures in research_region_figures(run=run, user=user).items()
                for value in (getattr(figures, metric),)
            }
        map_data = tile_map_build(
            layout=region_map_layout(),
            visible_codes=set(region_list(user=user).values_list("code", flat=True)),
            values=values,
            title=str(MAP_METRICS[metric].label),
            unit=str(MAP_METRICS[metric].unit),
            source=run_source(run),
            decimal_places=1,
            clip_outliers=True,
            link=passport_url,
        )
        if not sees_all_regions(user):
            return tile_map_highlight(map_data)
        return map_data


def run_source(run: ResearchRun) -> str:
    return _(
        "research run № %(number)s (%(classification)s), SME register snapshots "
        "of %(base)s and %(target)s"
    ) % {
        "number": run.pk,
        "classification": run.classification_version,
        "base": date_format(run.base_snapshot, "SHORT_DATE_FORMAT"),
        "target": date_format(run.target_snapshot, "SHORT_DATE_FORMAT"),
    }
