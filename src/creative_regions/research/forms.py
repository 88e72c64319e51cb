import re
from datetime import date

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from creative_regions.core.exceptions import ApplicationError
from creative_regions.research.engine import DEFAULT_CRITERIA, SUB_SCORES
from creative_regions.research.models import Classification

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DEFAULT_CLASSIFICATION = "ru-minec-16"
ISO_DATE = "%Y-%m-%d"


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


# Research runs and the ranking ----------------------------------------------------

SUB_SCORE_LABELS = {
    "size": _("Size"),
    "specialisation": _("Specialisation"),
    "growth": _("Growth"),
    "competitive_shift": _("Competitive shift"),
    "diversity": _("Diversity"),
}
SUB_SCORE_HELP = {
    "size": _("Creative employees at the target snapshot."),
    "specialisation": _(
        "Location quotient: the share of creative employment in the region against "
        "the nation's."
    ),
    "growth": _("Yearly growth (CAGR) of creative employment."),
    "competitive_shift": _(
        "Creative jobs gained beyond the national growth of the region's sectors, "
        "per creative employee at the base."
    ),
    "diversity": _(
        "How evenly creative employment spreads over the sectors (Gini–Simpson)."
    ),
}


def _weight_field(name: str) -> forms.FloatField:
    return forms.FloatField(
        label=SUB_SCORE_LABELS[name],
        help_text=SUB_SCORE_HELP[name],
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
    )


class SubScoreWeightsForm(forms.Form):
    """The weights of the five sub-scores of the composite index. They are relative:
    the engine scales them to sum to 1. All blank means the run's (or equal)
    weights; otherwise a blank weight counts as 0."""

    size = _weight_field("size")
    specialisation = _weight_field("specialisation")
    growth = _weight_field("growth")
    competitive_shift = _weight_field("competitive_shift")
    diversity = _weight_field("diversity")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The engine judges the weights as a whole (e.g. all of them 0); its
        # message belongs to the group of fields, not to one of them.
        self.weights_errors = self.error_class()

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SUB_SCORES]

    def weights(self) -> dict[str, float] | None:
        values = {name: self.cleaned_data.get(name) for name in SUB_SCORES}
        if all(value is None for value in values.values()):
            return None
        return {name: value or 0.0 for name, value in values.items()}

    def add_application_error(self, error: ApplicationError) -> None:
        """Shows a service's refusal next to the input it names."""
        if error.field in self.fields:
            self.add_error(error.field, error.message)
        elif error.field == "weights":
            self.weights_errors.append(error.message)
        else:
            self.add_error(None, error.message)


def weights_initial(weights: dict[str, float]) -> dict[str, float]:
    """Weights summing to 1 as the percentages the inputs show (20 rather than 0.2)."""
    result = {}
    for name, value in weights.items():
        percent = round(100 * value, 2)
        result[name] = int(percent) if percent.is_integer() else percent
    return result


class ResearchRunForm(SubScoreWeightsForm):
    """The inputs of a run; the snapshots offered are those of the store. The
    service checks the rules (dates in order, snapshots present) and names the
    field it refuses."""

    classification = forms.ModelChoiceField(
        label=_("Classification"),
        queryset=Classification.objects.none(),
        to_field_name="key",
        empty_label=None,
        help_text=_(
            "ru-minec-16 for Russian statistics; uk-dcms to compare with the "
            "British definition of the creative industries."
        ),
    )
    base = forms.DateField(
        label=_("Base snapshot"),
        input_formats=[ISO_DATE],
        widget=forms.Select,
        help_text=_("The earlier snapshot: growth is measured from it."),
    )
    target = forms.DateField(
        label=_("Target snapshot"),
        input_formats=[ISO_DATE],
        widget=forms.Select,
        help_text=_("The later snapshot: the profiles show its figures."),
    )
    min_organisations = forms.IntegerField(
        label=_("Minimum organisations for a growth class"),
        min_value=0,
        initial=DEFAULT_CRITERIA.min_organisations,
        help_text=_(
            "A region × sector with fewer organisations at the target snapshot is "
            "called too small to classify."
        ),
    )

    def __init__(
        self,
        *args,
        classifications: QuerySet[Classification],
        snapshots: list[date],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = classifications
        self.fields["classification"].initial = DEFAULT_CLASSIFICATION
        self.fields["classification"].label_from_instance = lambda classification: (
            f"{classification.key} · {classification.name}"
        )
        choices = [
            (day.isoformat(), date_format(day, "DATE_FORMAT")) for day in snapshots
        ]
        self.fields["base"].widget.choices = choices
        self.fields["target"].widget.choices = choices
        if snapshots:
            self.fields["base"].initial = snapshots[0].isoformat()
            self.fields["target"].initial = snapshots[-1].isoformat()

    def parameters(self) -> dict:
        """The run's parameters as ``research_run_create`` takes them."""
        parameters: dict = {
            "min_organisations": self.cleaned_data["min_organisations"],
        }
        weights = self.weights()
        if weights is not None:
            parameters["weights"] = weights
        return parameters
