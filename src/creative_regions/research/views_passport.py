"""The region passport and the methodology page."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from creative_regions.core.exceptions import ApplicationError
from creative_regions.geo.selectors import region_get_for_user
from creative_regions.research.charts import (
    lq_growth_chart,
    sector_structure_chart,
    shift_share_chart,
)
from creative_regions.research.methodology import METRICS, methodology_cell_get
from creative_regions.research.models import ResearchRun
from creative_regions.research.passport import (
    passport_run_choices,
    region_passport_get,
)
from creative_regions.research.selectors import research_run_get


def run_source(run: ResearchRun) -> str:
    """The source line of every chart: which run, which snapshots."""
    return _(
        "Source: research run #%(run)s, SME register snapshots of %(base)s and "
        "%(target)s, classification %(classification)s."
    ) % {
        "run": run.pk,
        "base": formats.date_format(run.base_snapshot, "DATE_FORMAT"),
        "target": formats.date_format(run.target_snapshot, "DATE_FORMAT"),
        "classification": run.classification_version,
    }


class RegionPassportView(LoginRequiredMixin, TemplateView):
    """A region's creative economy from the latest successful run (or ``?run=``):
    headline figures against Russia and peers, charts, growth points, leaders,
    warnings and caveats."""

    template_name = "research/region_passport.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The region first: a partner of another region gets 404 whatever the run.
        region = region_get_for_user(user=self.request.user, code=kwargs["code"])
        run_id = self.request.GET.get("run")
        context.update(region=region, passport=None, run=None)
        try:
            run = research_run_get(run_id=run_id or "latest")
        except Http404:
            if run_id:
                raise
            return context
        context.update(run=run, runs=passport_run_choices())
        if run.status != ResearchRun.Status.SUCCEEDED:
            return context
        passport = region_passport_get(user=self.request.user, region=region, run=run)
        source = run_source(run)
        context.update(
            passport=passport,
            source=source,
            structure_chart=sector_structure_chart(
                passport.sectors, region_name=region.name, source=source
            ),
            quadrant_chart=lq_growth_chart(
                passport.present_sectors, region_name=region.name, source=source
            ),
            shift_share_chart=shift_share_chart(
                passport.present_sectors, source=source
            ),
        )
        return context


class MethodologyView(LoginRequiredMixin, TemplateView):
    """Every indicator's definition, formula and source; with ``run``, ``region``,
    ``sector`` and ``metric`` in the query, also that figure worked out."""

    template_name = "research/methodology.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET
        computation = error = None
        if query.get("metric") or query.get("region"):
            try:
                computation = methodology_cell_get(
                    user=self.request.user,
                    run_id=query.get("run"),
                    code=query.get("region", ""),
                    sector=query.get("sector", ""),
                    metric=query.get("metric", ""),
                    inn=query.get("inn", ""),
                )
            except ApplicationError as refused:
                error = refused.message
        context.update(
            computation=computation,
            error=error,
            metrics=METRICS,
            source=run_source(computation.run) if computation else "",
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        if context["error"]:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)
