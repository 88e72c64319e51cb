import re

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ClassificationImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV in UTF-8 or XLSX with a header row: a code column (code, okved2 or "
            "sic2007) and sector; optionally name, sector_en, source and confidence "
            "(official, confirmed, inferred_high or inferred_low). A table exported "
            "from this page can be imported back."
        ),
    )
    label = forms.CharField(
        label=_("Version name"),
        max_length=50,
        help_text=_("For example 2026 or 2026-03."),
    )
    is_provisional = forms.BooleanField(label=_("Provisional version"), required=False)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The document the table comes from: its title, number and date."),
    )
    activate = forms.BooleanField(label=_("Make it the active version"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(
                _("Upload a .csv or .xlsx file; “%(name)s” is neither."),
                params={"name": upload.name},
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


CODE_PATTERN = re.compile(r"^\d{2}(\.\d{1,2}(\.\d{1,2}|/\d)?)?$")


class CodeMatchForm(forms.Form):
    code = forms.CharField(label=_("Activity code"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(_("Type a code such as 58.11 or 32.99.8."))
        return code
