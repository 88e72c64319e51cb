import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from creative_regions.core.filters import TextFilter
from creative_regions.core.text import search_normalise
from creative_regions.research.models import (
    Classification,
    ClassificationEntry,
    ResearchRun,
)


class ClassificationEntryFilterSet(django_filters.FilterSet):
    """Filters of a version's code table, shared by the page, the export and the API."""

    q = TextFilter(label=_("Search"), method="filter_search")
    sector = TextFilter(label=_("Sector"), field_name="sector")
    confidence = django_filters.ChoiceFilter(
        label=_("Confidence"),
        choices=ClassificationEntry.Confidence.choices,
        empty_label=_("Any confidence"),
    )

    class Meta:
        model = ClassificationEntry
        fields = ("q", "sector", "confidence")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["confidence"].widget.attrs["class"] = "form-select"

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in search_normalise(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset


class ResearchRunFilterSet(django_filters.FilterSet):
    """Filters of the list of research runs."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ResearchRun.Status.choices,
        empty_label=_("Any status"),
    )
    classification = django_filters.ModelChoiceFilter(
        label=_("Classification"),
        field_name="classification_version__classification",
        to_field_name="key",
        queryset=Classification.objects.order_by("key"),
        empty_label=_("Any classification"),
    )

    class Meta:
        model = ResearchRun
        fields = ("status", "classification")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("status", "classification"):
            self.form.fields[name].widget.attrs["class"] = "form-select"
        # Keys are what the runs' pages show; the full names are too long here.
        self.form.fields["classification"].label_from_instance = lambda item: item.key
