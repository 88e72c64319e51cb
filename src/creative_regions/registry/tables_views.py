"""The upload page of CSV and XLSX registers (regional registers, analysts' lists)."""

from __future__ import annotations

from pathlib import Path

from django.shortcuts import redirect
from django.views.generic import FormView

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.permissions import RoleRequiredMixin
from creative_regions.registry.services import registry_upload_save
from creative_regions.registry.tables import (
    FIELDS,
    registry_table_import,
    table_header,
    table_mapping_suggest,
)
from creative_regions.registry.tables_forms import (
    RegistryTableImportForm,
    column_field_name,
    upload_path,
    upload_token,
)
from creative_regions.registry.views import REGISTER_IMPORTERS


class RegistryTableImportView(RoleRequiredMixin, FormView):
    """Imports an uploaded table at once and shows the import. When the file is
    refused (a column cannot be found, say), the page keeps the file and offers its
    header's columns to choose from, so it need not be uploaded again."""

    allowed_roles = REGISTER_IMPORTERS
    template_name = "registry/table_import_form.html"
    form_class = RegistryTableImportForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        path = upload_path(self.request.POST.get("upload", ""))
        if path is not None:
            kwargs["headers"] = self._header_or_none(path)
        return kwargs

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        path = form.cleaned_data["upload"]
        if path is None:
            upload = form.cleaned_data["file"]
            path = registry_upload_save(name=upload.name, chunks=upload.chunks())
        try:
            registry_import = registry_table_import(
                path=path,
                source=form.cleaned_data["source"],
                snapshot=form.cleaned_data["snapshot"],
                mapping_overrides=form.mapping_overrides(),
                region_code=form.cleaned_data["region"] or None,
                user=self.request.user,
            )
        except ApplicationError as error:
            return self.form_invalid(self._form_to_correct(form, path, error))
        return redirect(registry_import)

    def _form_to_correct(
        self, form: RegistryTableImportForm, path: Path, error: ApplicationError
    ) -> RegistryTableImportForm:
        headers = None if error.field == "file" else self._header_or_none(path)
        if headers is None:
            # The trouble is the file itself: only another file can help.
            corrected = form
        else:
            data = form.data.copy()
            data["upload"] = upload_token(path)
            chosen = table_mapping_suggest(
                source=form.cleaned_data["source"],
                header=headers,
                overrides=form.mapping_overrides(),
            )
            for name in FIELDS:
                data[column_field_name(name)] = chosen.get(name, "")
            corrected = self.form_class(
                data=data, user=self.request.user, headers=headers
            )
        field = error.field if error.field in corrected.fields else None
        corrected.add_error(field, error.message)
        return corrected

    @staticmethod
    def _header_or_none(path: Path) -> list[str] | None:
        try:
            return table_header(path=path)
        except ApplicationError:
            return None
