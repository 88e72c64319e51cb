"""Pages of the import of organisations and people from CSV or XLSX tables: the
upload, the preview with its column mapping, the confirm and the result.

The preview writes nothing; changing a column in it sends the form again (by
HTMX, the preview alone comes back). Confirming runs the rows through the
services and shows what became of each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from creative_regions.community import services
from creative_regions.community.duplicates import RULE_LABELS
from creative_regions.community.forms_import import (
    CommunityImportForm,
    column_field_name,
    preview_form_data,
)
from creative_regions.community.imports import (
    KINDS,
    ORGANISATIONS,
    Fate,
    ImportChangedError,
    ImportMappingError,
    ImportReport,
    community_import_commit,
    community_import_list,
    community_import_preview,
    community_import_report,
    import_field_label,
    import_header,
    import_mapping_initial,
    import_template_name,
    import_template_xlsx,
    import_upload_discard,
    import_upload_path,
    import_upload_save,
)
from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.exports import XLSX_CONTENT_TYPE
from creative_regions.core.permissions import RoleRequiredMixin

TEMPLATES = "community/import"
RECENT_IMPORTS = 10


class ImportRoleMixin(RoleRequiredMixin):
    """The roles that write community records may import them (a partner into
    their regions only, as the services see to)."""

    allowed_roles = services.WRITER_ROLES


def _record_url_name(kind: str) -> str:
    if kind == ORGANISATIONS:
        return "community:organisation-detail"
    return "community:person-detail"


def report_rows(report: ImportReport) -> list[dict[str, Any]]:
    """The rows of a report as its table shows them."""
    labels = Fate.RESULT_LABELS if report.is_committed else Fate.PREVIEW_LABELS
    rows = []
    for outcome in report.rows:
        rows.append(
            {
                "outcome": outcome,
                "fate_label": labels[outcome.fate],
                "match_label": RULE_LABELS.get(outcome.match, ""),
                "changes": [
                    import_field_label(report.kind, name) for name in outcome.changes
                ],
                "errors": [
                    {
                        "column": error.column
                        or import_field_label(report.kind, error.field),
                        "value": error.value,
                        "message": error.message,
                    }
                    for error in outcome.errors
                ],
            }
        )
    return rows


def report_counts(report: ImportReport) -> list[dict[str, Any]]:
    labels = Fate.RESULT_LABELS if report.is_committed else Fate.PREVIEW_COUNT_LABELS
    return [
        {"fate": fate, "label": labels[fate], "count": count}
        for fate, count in report.counts.items()
    ]


class CommunityImportView(ImportRoleMixin, TemplateView):
    """The upload form; a file sent gives its preview, and the preview's form
    either previews again with other columns or confirms the import."""

    template_name = f"{TEMPLATES}/upload.html"
    preview_template_name = f"{TEMPLATES}/preview.html"
    partial_template_name = f"{TEMPLATES}/partials/_preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "form",
            CommunityImportForm(
                user=self.request.user,
                initial={"kind": self.request.GET.get("kind", "organisations")},
            ),
        )
        context["kinds"] = KINDS
        context["recent_imports"] = community_import_list(user=self.request.user)[
            :RECENT_IMPORTS
        ]
        return context

    def post(self, request, *args, **kwargs):
        path = import_upload_path(request.POST.get("upload", ""))
        headers = self._header_or_none(path) if path is not None else None
        form = CommunityImportForm(
            data=request.POST, files=request.FILES, user=request.user, headers=headers
        )
        if not form.is_valid():
            return self._upload_again(form)
        kind = form.cleaned_data["kind"]
        default_region = form.cleaned_data["default_region"]
        if form.cleaned_data["upload"] is None:
            upload = form.cleaned_data["file"]
            token = import_upload_save(name=upload.name, chunks=upload.chunks())
            path = import_upload_path(token)
            mapping = None
        else:
            token = form.data["upload"]
            path = form.cleaned_data["upload"]
            mapping = form.mapping()
        assert path is not None

        if request.POST.get("action") == "confirm":
            return self._confirm(form, path, token, mapping)
        try:
            report = community_import_preview(
                user=request.user,
                kind=kind,
                path=path,
                mapping=mapping,
                default_region=default_region,
            )
        except ImportMappingError as error:
            return self._mapping_refused(form, path, token, mapping, error)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error)
            return self._upload_again(form)
        return self._preview(token, report, default_region)

    def _confirm(self, form, path: Path, token: str, mapping):
        try:
            community_import = community_import_commit(
                user=self.request.user,
                kind=form.cleaned_data["kind"],
                path=path,
                mapping=mapping,
                default_region=form.cleaned_data["default_region"],
                expected_digest=form.cleaned_data["digest"] or None,
            )
        except ImportChangedError as error:
            return self._preview(
                token,
                error.report,
                form.cleaned_data["default_region"],
                warning=error.message,
                status=409,
            )
        except ImportMappingError as error:
            return self._mapping_refused(form, path, token, mapping, error)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error)
            return self._upload_again(form)
        import_upload_discard(path=path)
        messages.success(
            self.request,
            ngettext(
                "Imported %(count)s row: see what became of it below.",
                "Imported %(count)s rows: see what became of each below.",
                community_import.rows_total,
            )
            % {"count": community_import.rows_total},
        )
        return redirect(community_import)

    def _upload_again(self, form: CommunityImportForm) -> HttpResponse:
        if form.headers is not None or "upload" in form.errors:
            # The preview's form failed (the file has gone, say): start over.
            form = CommunityImportForm(
                data={"kind": form.data.get("kind", "")},
                user=self.request.user,
            )
            form.is_valid()
            form.errors["file"] = form.error_class(
                [_("The uploaded file is no longer there; upload it again.")]
            )
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _preview_form(
        self, *, kind: str, token: str, default_region: str, mapping, digest=""
    ) -> CommunityImportForm:
        path = import_upload_path(token)
        headers = self._header_or_none(path) if path else None
        form = CommunityImportForm(
            data=preview_form_data(
                kind=kind,
                token=token,
                default_region=default_region,
                mapping=mapping,
                digest=digest,
            ),
            user=self.request.user,
            headers=headers or [],
        )
        form.is_valid()
        return form

    def _preview(
        self,
        token: str,
        report: ImportReport,
        default_region: str,
        *,
        warning: str = "",
        status: int = 200,
    ) -> HttpResponse:
        form = self._preview_form(
            kind=report.kind,
            token=token,
            default_region=default_region,
            mapping=report.mapping,
            digest=report.digest,
        )
        return self._render_preview(form, report=report, warning=warning, status=status)

    def _mapping_refused(
        self, form, path: Path, token: str, mapping, error: ImportMappingError
    ) -> HttpResponse:
        kind = form.cleaned_data["kind"]
        if mapping is None:
            mapping = import_mapping_initial(kind=kind, header=import_header(path=path))
        preview_form = self._preview_form(
            kind=kind,
            token=token,
            default_region=form.cleaned_data["default_region"],
            mapping=mapping,
        )
        for name, message in error.errors.items():
            preview_form.add_error(column_field_name(name), message)
        return self._render_preview(preview_form, report=None, status=400)

    def _render_preview(
        self,
        form: CommunityImportForm,
        *,
        report: ImportReport | None,
        warning: str = "",
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "form": form,
            "report": report,
            "rows": report_rows(report) if report else [],
            "counts": report_counts(report) if report else [],
            "warning": warning,
            "file_name": report.file_name
            if report
            else (form.cleaned_data.get("upload") or Path("")).name,
            "record_url_name": _record_url_name(form.kind_value),
        }
        is_fragment = bool(self.request.htmx) and not self.request.htmx.boosted
        template = self.partial_template_name if is_fragment else None
        response = self.response_class(
            request=self.request,
            template=[template or self.preview_template_name],
            context=self.get_context_data(**context),
            status=status,
        )
        patch_vary_headers(response, ("HX-Request",))
        return response

    @staticmethod
    def _header_or_none(path: Path | None) -> list[str] | None:
        if path is None:
            return None
        try:
            return import_header(path=path)
        except ApplicationError:
            return None


class CommunityImportDetailView(ImportRoleMixin, TemplateView):
    """What became of every row of a confirmed import."""

    template_name = f"{TEMPLATES}/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        community_import = (
            community_import_list(user=self.request.user)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if community_import is None:
            raise Http404("No such import.")
        report = community_import_report(community_import=community_import)
        context.update(
            community_import=community_import,
            report=report,
            rows=report_rows(report),
            counts=report_counts(report),
            mapping=[
                (import_field_label(report.kind, name), column)
                for name, column in report.mapping.items()
            ],
            record_url_name=_record_url_name(report.kind),
        )
        return context


class CommunityImportTemplateView(ImportRoleMixin, View):
    """An empty XLSX table with the headers the import expects."""

    def get(self, request, kind: str):
        if kind not in KINDS:
            raise Http404("No such template.")
        response = HttpResponse(
            import_template_xlsx(kind=kind), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{import_template_name(kind)}"'
        )
        return response
