"""The upload form of a CSV or XLSX register, with its column mapping."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from creative_regions.core.models import User
from creative_regions.geo.selectors import region_list
from creative_regions.registry.models import TableSourceMapping
from creative_regions.registry.tables import FIELD_LABELS, FIELDS

SUFFIXES = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def uploads_dir() -> Path:
    return (Path(settings.DATA_DIR) / "uploads").resolve()


def upload_path(token: str) -> Path | None:
    """The uploaded table that ``token`` names, if it is one: a path relative to
    the uploads folder, never outside it."""
    if not token:
        return None
    folder = uploads_dir()
    path = (folder / token).resolve()
    if (
        not path.is_relative_to(folder)
        or not path.is_file()
        or not path.name.lower().endswith(SUFFIXES)
    ):
        return None
    return path


def upload_token(path: Path) -> str:
    return path.resolve().relative_to(uploads_dir()).as_posix()


def column_field_name(name: str) -> str:
    return f"column_{name}"


class RegistryTableImportForm(forms.Form):
    """A table to import as a source, and which of its columns feeds which field.

    The columns are typed in (blank: the mapping remembered for the source, or the
    usual header names); once a file is kept on the server (``headers`` given),
    they are chosen from its header instead, and blank means "not in the table".
    """

    file = forms.FileField(
        label=_("Table"),
        required=False,
        help_text=_("CSV in UTF-8 or XLSX, with a header row and one subject a row."),
    )
    upload = forms.CharField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(
        label=_("Source"),
        max_length=49,
        validators=[
            RegexValidator(
                TableSourceMapping.SOURCE_PATTERN,
                _(
                    "Lowercase Latin letters, digits and hyphens, 2 to 49 "
                    "characters, e.g. tatarstan-330fz."
                ),
            )
        ],
        help_text=_(
            "A short name for where the table comes from, e.g. tatarstan-330fz; "
            "research can use it apart from the tax register or together with it. "
            "The column mapping is remembered under this name."
        ),
    )
    snapshot = forms.DateField(
        label=_("Snapshot date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date the table describes."),
    )
    region = forms.ChoiceField(
        label=_("Region of every row"),
        required=False,
        help_text=_("For the register of one region whose table has no region column."),
    )

    def __init__(
        self, *args, user: User, headers: list[str] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.fields["region"].choices = [("", _("From the table"))] + [
            (region.code, f"{region.code} · {region.name}")
            for region in region_list(user=user)
        ]
        for name in FIELDS:
            if headers is None:
                self.fields[column_field_name(name)] = forms.CharField(
                    label=FIELD_LABELS[name], required=False, max_length=200
                )
            else:
                self.fields[column_field_name(name)] = forms.ChoiceField(
                    label=FIELD_LABELS[name],
                    required=False,
                    choices=[("", _("Not in the table"))]
                    + [(header, header) for header in headers],
                )

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return [self[column_field_name(name)] for name in FIELDS]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(
                _("Upload a .csv or .xlsx file; “%(name)s” is neither."),
                params={"name": upload.name},
            )
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload

    def clean_upload(self) -> Path | None:
        token = self.cleaned_data.get("upload", "")
        if not token:
            return None
        path = upload_path(token)
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

    def mapping_overrides(self) -> dict[str, str]:
        """The columns given: typed ones only, or every chosen one (blank unmaps
        the field) when the columns were chosen from the file's header."""
        columns = {
            name: self.cleaned_data.get(column_field_name(name), "").strip()
            for name in FIELDS
        }
        if self.headers is not None:
            return columns
        return {name: column for name, column in columns.items() if column}
