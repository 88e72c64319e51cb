import csv

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from creative_regions.core.htmx import HtmxPartialMixin
from creative_regions.core.models import User
from creative_regions.core.permissions import RoleRequiredMixin
from creative_regions.geo.selectors import region_list, region_map_layout
from creative_regions.geo.tile_map import tile_map_build
from creative_regions.registry.datasets import DATASETS
from creative_regions.registry.forms import RegistryImportForm
from creative_regions.registry.models import QuarantinedRecord
from creative_regions.registry.selectors import (
    registry_import_list,
    registry_quarantine_list,
    registry_snapshot_summary,
    registry_source_list,
)
from creative_regions.registry.services import (
    registry_import_create,
    registry_import_enqueue,
    registry_store,
    registry_upload_save,
)

# The register is national data; regional partners work with their own records.
REGISTER_READERS = (User.Role.MANAGER, User.Role.ANALYST, User.Role.EXPERT)
REGISTER_IMPORTERS = (User.Role.ANALYST,)


class RegistryStatusView(RoleRequiredMixin, TemplateView):
    """What the store holds: snapshots, records by kind and region, imports."""

    allowed_roles = REGISTER_READERS
    template_name = "registry/status.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = registry_snapshot_summary(store=registry_store())
        latest = summary.snapshots[-1] if summary.snapshots else None
        if latest is not None:
            visible = region_list(user=self.request.user).values_list("code", flat=True)
            context["map"] = tile_map_build(
                layout=region_map_layout(),
                visible_codes=set(visible),
                values=latest.by_region,
                title=_("SMEs in the register"),
                unit=_("organisations and sole traders"),
                source=_("SME register, snapshot of %(date)s")
                % {"date": latest.snapshot.strftime("%d.%m.%Y")},
                logarithmic=True,
            )
        context.update(
            summary=summary,
            latest=latest,
            sources=registry_source_list(root=registry_store().root),
            imports=registry_import_list(user=self.request.user)[:10],
            can_import=self.request.user.has_role(*REGISTER_IMPORTERS),
            reasons=dict(QuarantinedRecord.Reason.choices),
        )
        return context


class RegistryImportCreateView(RoleRequiredMixin, FormView):
    allowed_roles = REGISTER_IMPORTERS
    template_name = "registry/import_form.html"
    form_class = RegistryImportForm

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        upload = form.cleaned_data.get("file")
        if upload:
            path = registry_upload_save(name=upload.name, chunks=upload.chunks())
        else:
            path = form.cleaned_data["server_path"]
        registry_import = registry_import_create(
            paths=[path],
            source=DATASETS[form.cleaned_data["dataset"]].source,
            user=self.request.user,
        )
        registry_import_enqueue(registry_import=registry_import)
        return redirect(registry_import)


class RegistryImportDetailView(RoleRequiredMixin, HtmxPartialMixin, TemplateView):
    """An import's progress and outcome; HTMX polls the progress part while it runs."""

    allowed_roles = REGISTER_READERS
    template_name = "registry/import_detail.html"
    partial_template_name = "registry/partials/_import_progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registry_import = get_object_or_404(
            registry_import_list(user=self.request.user), pk=kwargs["pk"]
        )
        reasons = dict(QuarantinedRecord.Reason.choices)
        by_reason = [
            (reasons.get(reason, reason), count)
            for reason, count in registry_quarantine_list(
                registry_import=registry_import
            )
            .order_by()
            .values_list("reason")
            .annotate(count=Count("pk"))
        ]
        context.update(registry_import=registry_import, by_reason=by_reason)
        return context


class RegistryQuarantineView(RoleRequiredMixin, TemplateView):
    allowed_roles = REGISTER_READERS
    template_name = "registry/quarantine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registry_import = get_object_or_404(
            registry_import_list(user=self.request.user), pk=kwargs["pk"]
        )
        records = registry_quarantine_list(registry_import=registry_import)
        reason = self.request.GET.get("reason", "")
        if reason:
            records = records.filter(reason=reason)
        page = Paginator(records, 50).get_page(self.request.GET.get("page"))
        context.update(
            registry_import=registry_import,
            page=page,
            reason=reason,
            reasons=QuarantinedRecord.Reason.choices,
        )
        return context


class _Echo:
    def write(self, value):
        return value


class RegistryQuarantineExportView(RoleRequiredMixin, View):
    """The quarantine of an import as CSV (UTF-8 with BOM, so Excel reads it)."""

    allowed_roles = REGISTER_READERS

    def get(self, request, pk):
        registry_import = get_object_or_404(
            registry_import_list(user=request.user), pk=pk
        )
        records = registry_quarantine_list(registry_import=registry_import)
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff" + writer.writerow(
                ["file", "document_id", "inn", "reason", "detail"]
            )
            for record in records.iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        record.file_name,
                        record.document_id,
                        record.inn,
                        record.reason,
                        record.detail,
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="quarantine-{registry_import.pk}.csv"'
        )
        return response
