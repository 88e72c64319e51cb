from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

SUFFIXES = (".zip", ".xml")


class RegistryImportForm(forms.Form):
    """An archive uploaded now, or one already in the server's data folder."""

    dataset = forms.ChoiceField(
        label=_("Dataset"),
        choices=(
            ("rsmp", _("Unified register of SMEs (rsmp)")),
            ("sshr", _("Average headcount (sshr2019)")),
            ("revexp", _("Income and expenses (revexp)")),
        ),
        initial="rsmp",
        required=False,
    )

    file = forms.FileField(
        label=_("Archive or XML file"),
        required=False,
        help_text=_("A zip archive of register XML files, or one XML file."),
    )
    server_path = forms.CharField(
        label=_("Or a file in the data folder"),
        required=False,
        max_length=500,
        help_text=_(
            "For archives of several gigabytes: copy it to the server's data folder "
            "and give its path relative to that folder, e.g. inbox/data-10012025.zip."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(
                _("Upload a .zip or .xml file; “%(name)s” is neither."),
                params={"name": upload.name},
            )
        return upload

    def clean_dataset(self) -> str:
        return self.cleaned_data.get("dataset") or "rsmp"

    def clean_server_path(self) -> Path | None:
        value = self.cleaned_data.get("server_path", "").strip()
        if not value:
            return None
        data_dir = Path(settings.DATA_DIR).resolve()
        path = (data_dir / value).resolve()
        # Only files inside the data folder: no walking the server's disk.
        if not path.is_relative_to(data_dir):
            raise forms.ValidationError(_("The path must stay inside the data folder."))
        if not path.exists():
            raise forms.ValidationError(
                _("There is no “%(path)s” in the data folder."), params={"path": value}
            )
        if path.is_file() and not path.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(_("Give a .zip or .xml file, or a folder."))
        return path

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("file")) == bool(
            cleaned.get("server_path")
        ):
            raise forms.ValidationError(
                _("Upload a file or give a path in the data folder — one of the two.")
            )
        return cleaned
