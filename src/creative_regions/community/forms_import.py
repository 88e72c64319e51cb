"""The forms of an import of organisations or people: the upload, then the
column mapping of its preview."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from creative_regions.community.imports import (
    KINDS,
    MAX_UPLOAD_BYTES,
    UPLOAD_SUFFIXES,
    import_fields,
    import_upload_path,
)
from creative_regions.community.models import CommunityImport
from creative_regions.core.models import User
from creative_regions.geo.selectors import region_list


def column_field_name(name: str) -> str:
    return f"column_{name}"


class CommunityImportForm(forms.Form):
    """What the table holds and the file; once the file is kept on the server
    (``headers`` given), the column of each field, chosen from its header."""

    kind = forms.ChoiceField(
        label=_("The table holds"),
        choices=CommunityImport.Kind.choices,
        initial=CommunityImport.Kind.ORGANISATIONS,
    )
    file = forms.FileField(
        label=_("Table"),
        required=False,
        help_text=_(
            "CSV in UTF-8 or XLSX, with a header row and one organisation or person "
            "a row; at most 1,000 rows (split a longer table)."
        ),
    )
    upload = forms.CharField(required=False, widget=forms.HiddenInput)
    digest = forms.CharField(required=False, widget=forms.HiddenInput)
    default_region = forms.ChoiceField(
        label=_("Region of rows that give none"),
        required=False,
        help_text=_("For a table of one region, or one without a region column."),
    )

    def __init__(
        self, *args, user: User, headers: list[str] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.fields["default_region"].choices = [("", _("None: each row says"))] + [
            (region.code, f"{region.code} · {region.name}")
            for region in region_list(user=user)
        ]
        if headers is not None:
            kind = self._kind()
            for import_field in import_fields(kind):
                self.fields[column_field_name(import_field.name)] = forms.ChoiceField(
                    label=import_field.label,
                    required=False,
                    choices=[("", _("Not in the table"))]
                    + [(header, header) for header in headers],
                )

    def _kind(self) -> str:
        kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        return kind if kind in KINDS else CommunityImport.Kind.ORGANISATIONS

    @property
    def kind_value(self) -> str:
        return self._kind()

    @property
    def kind_label(self) -> str:
        return str(CommunityImport.Kind(self._kind()).label)

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return [
            self[column_field_name(import_field.name)]
            for import_field in import_fields(self._kind())
        ]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(
                _("Upload a .csv or .xlsx file; “%(name)s” is neither."),
                params={"name": upload.name},
            )
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def clean_upload(self):
        token = self.cleaned_data.get("upload", "")
        if not token:
            return None
        path = import_upload_path(token)
        if path is None:
            raise forms.ValidationError(
                _("The uploaded file is no longer there; upload it again.")
            )
        return path

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("upload"):
            self.add_error("file", _("Choose a CSV or XLSX file."))
        return cleaned

    def mapping(self) -> dict[str, str]:
        """The columns chosen, by field; a field left blank is not imported."""
        columns = {
            import_field.name: self.cleaned_data.get(
                column_field_name(import_field.name), ""
            )
            for import_field in import_fields(self._kind())
        }
        return {name: column for name, column in columns.items() if column}


def preview_form_data(
    *,
    kind: str,
    token: str,
    default_region: str,
    mapping: Mapping[str, str],
    digest: str = "",
) -> dict[str, str]:
    """The data of the preview's form: the file kept, and its columns."""
    data = {
        "kind": kind,
        "upload": token,
        "default_region": default_region,
        "digest": digest,
    }
    for import_field in import_fields(kind):
        data[column_field_name(import_field.name)] = mapping.get(import_field.name, "")
    return data
