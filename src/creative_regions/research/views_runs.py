"""Research runs on the web: the list, the form that queues a run for the worker,
the run's page (polled while it computes) and the downloads of its tables."""

from __future__ import annotations

import csv
from datetime import date
from itertools import chain

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.exports import XLSX_CONTENT_TYPE, xlsx_bytes
from creative_regions.core.htmx import HtmxPartialMixin
from creative_regions.core.models import User
from creative_regions.core.permissions import RoleRequiredMixin
from creative_regions.core.services import personal_data_export_log
from creative_regions.research.filters import ResearchRunFilterSet
from creative_regions.research.forms import (
    SUB_SCORE_LABELS,
    ResearchRunForm,
)
from creative_regions.research.models import ResearchRun
from creative_regions.research.selectors import (
    EXPORT_COLUMNS,
    classification_list,
    research_export_rows,
    research_run_get,
    research_run_list,
    research_run_weights,
    research_snapshot_list,
)
from creative_regions.research.services import (
    RUN_DEFAULTS,
    research_run_create,
    research_run_enqueue,
)

# Runs are national work of the agency's staff; partners get their region's rows
# through the downloads and the Russia page.
RUN_VIEWERS = (User.Role.MANAGER, User.Role.ANALYST, User.Role.EXPERT)
RUN_STARTERS = (User.Role.ANALYST,)
EXPORT_FORMATS = ("csv", "xlsx")
RUNS_PER_PAGE = 25


class ResearchRunListView(RoleRequiredMixin, HtmxPartialMixin, TemplateView):
    """Every run, newest first; the table polls while a run on it is unfinished."""

    allowed_roles = RUN_VIEWERS
    template_name = "research/run/list.html"
    partial_template_name = "research/partials/_run_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = ResearchRunFilterSet(self.request.GET, queryset=research_run_list())
        page = Paginator(filterset.qs, RUNS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filterset=filterset,
            page=page,
            query_string=query.urlencode(),
            is_polling=any(not run.is_finished for run in page),
            can_start=self.request.user.has_role(*RUN_STARTERS),
        )
        return context


class ResearchRunCreateView(RoleRequiredMixin, FormView):
    """Records a run and queues it; the service's refusals go next to their field."""

    allowed_roles = RUN_STARTERS
    template_name = "research/run/form.html"
    form_class = ResearchRunForm

    @cached_property
    def snapshots(self):
        return research_snapshot_list()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(classifications=classification_list(), snapshots=self.snapshots)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["snapshots"] = self.snapshots
        return context

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        try:
            run = research_run_create(
                classification=form.cleaned_data["classification"],
                base=form.cleaned_data["base"],
                target=form.cleaned_data["target"],
                parameters=form.parameters(),
                user=self.request.user,
            )
        except ApplicationError as error:
            form.add_application_error(error)
            return self.form_invalid(form)
        research_run_enqueue(run=run)
        return redirect(run)


class ResearchRunDetailView(RoleRequiredMixin, HtmxPartialMixin, TemplateView):
    """A run's inputs, status and timings, and its downloads once it succeeded;
    HTMX polls the status part until the worker is done."""

    allowed_roles = RUN_VIEWERS
    template_name = "research/run/detail.html"
    partial_template_name = "research/partials/_run_status.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = research_run_get(run_id=kwargs["pk"])
        parameters = {**RUN_DEFAULTS, **run.parameters}
        weights = research_run_weights(run=run)
        context.update(
            run=run,
            snapshots=[date.fromisoformat(day) for day in run.snapshots],
            parameters=parameters,
            weights=[
                (label, 100 * weights[name]) for name, label in SUB_SCORE_LABELS.items()
            ],
            exports=run_exports(run),
        )
        return context


def run_exports(run: ResearchRun) -> list[tuple[str, str]]:
    """(table, label) of the downloads a finished run offers."""
    if run.status != ResearchRun.Status.SUCCEEDED:
        return []
    labels = {
        "profile": _("Profile: region × sector indicators"),
        "leaders": _("Industry leaders"),
        "ranking": _("Ranking of the regions"),
    }
    return [(table, labels[table]) for table in EXPORT_COLUMNS]


class _Echo:
    def write(self, value):
        return value


def _csv_value(value: object) -> object:
    """As the command line writes them: floats unrounded, a missing value empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return value


class ResearchRunExportView(LoginRequiredMixin, View):
    """One of a run's tables as CSV or XLSX with the columns of ``EXPORT_COLUMNS``;
    a regional partner's file holds their regions only."""

    def get(self, request, pk, table, file_format):
        if table not in EXPORT_COLUMNS or file_format not in EXPORT_FORMATS:
            raise Http404("No such export.")
        run = research_run_get(run_id=pk)
        if run.status != ResearchRun.Status.SUCCEEDED:
            raise Http404("The run has no results.")
        columns, rows = research_export_rows(run=run, table=table, user=request.user)
        if table == "leaders":
            # The leaders name sole traders, who are people (152-ФЗ): the download
            # goes to the log of personal-data exports.
            rows = list(rows)
            personal_data_export_log(
                user=request.user,
                dataset="research.leaders",
                row_count=len(rows),
                query=f"run={run.pk}",
                file_format=file_format,
            )
        filename = f"research-{run.pk}-{table}.{file_format}"
        if file_format == "xlsx":
            response = HttpResponse(
                xlsx_bytes(
                    sheet_title=table,
                    headers=columns,
                    rows=rows,
                    capitalise_headers=False,
                ),
                content_type=XLSX_CONTENT_TYPE,
            )
        else:
            writer = csv.writer(_Echo())
            lines = (
                writer.writerow([_csv_value(value) for value in row]) for row in rows
            )
            response = StreamingHttpResponse(
                chain([writer.writerow(columns)], lines),
                content_type="text/csv; charset=utf-8",
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
