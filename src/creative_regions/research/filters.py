import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from creative_regions.core.filters import TextFilter
from creative_regions.core.text import search_normalise
from creative_regions.research.models import ClassificationEntry


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
