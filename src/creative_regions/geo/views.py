from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from creative_regions.core.exports import xlsx_response
from creative_regions.core.htmx import HtmxPartialMixin
from creative_regions.geo.filters import RegionFilterSet
from creative_regions.geo.selectors import (
    region_get_for_user,
    region_group_by_district,
    region_list,
    region_map_layout,
)
from creative_regions.geo.tile_map import tile_map_build, tile_map_locate


class RegionListView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """Regions grouped by federal district, searchable; the HTMX request for the
    results returns only the results."""

    template_name = "geo/region_list.html"
    partial_template_name = "geo/partials/_region_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = RegionFilterSet(
            self.request.GET, queryset=region_list(user=self.request.user)
        )
        regions = filterset.qs
        is_sorted = bool(
            filterset.form.is_valid() and filterset.form.cleaned_data["sort"]
        )
        context.update(
            filterset=filterset,
            regions=regions,
            groups=None if is_sorted else region_group_by_district(regions),
            count=len(regions),
            query_string=self.request.GET.urlencode(),
            has_no_regions=self.request.user.is_partner
            and not self.request.user.regions.exists(),
        )
        return context


class RegionExportView(LoginRequiredMixin, View):
    """The filtered region list as XLSX, with the filters of the page."""

    def get(self, request, *args, **kwargs):
        filterset = RegionFilterSet(
            request.GET, queryset=region_list(user=request.user)
        )
        headers = [
            _("Code"),
            _("ISO 3166-2 code"),
            _("OKATO code"),
            _("Name"),
            _("Federal district"),
            _("Administrative centre"),
            _("Population"),
            _("Population year"),
            _("Added in 2022"),
        ]
        rows = (
            [
                region.code,
                region.iso_code,
                region.okato,
                region.name,
                region.get_federal_district_display(),
                region.capital,
                region.population,
                region.population_year,
                _("yes") if region.is_added_2022 else _("no"),
            ]
            for region in filterset.qs
        )
        return xlsx_response(
            filename="regions.xlsx",
            sheet_title=_("Regions"),
            headers=headers,
            rows=rows,
        )


class RegionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "geo/region_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = region_get_for_user(user=self.request.user, code=kwargs["code"])
        context["region"] = region
        if region.grid_row is not None:
            visible = region_list(user=self.request.user).values_list("code", flat=True)
            context["map"] = tile_map_locate(
                layout=region_map_layout(), visible_codes=set(visible), code=region.code
            )
        return context


class RegionMapView(LoginRequiredMixin, TemplateView):
    """The tile-grid map coloured by population, the metric every region has."""

    template_name = "geo/region_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = list(region_list(user=self.request.user))
        context["map"] = tile_map_build(
            layout=region_map_layout(),
            visible_codes={region.code for region in visible},
            values={region.code: region.population for region in visible},
            title=_("Population"),
            unit=_("people"),
            source=_("Rosstat, estimate as of 1 January 2025"),
            logarithmic=True,
        )
        return context
