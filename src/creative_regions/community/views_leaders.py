"""From research to community: industry leaders of a region passport added to
the community in one click, one leader or a whole sector.

Research knows nothing of the community. Its passport names two slots in the
leaders table, and this module fills them (declared in ``apps.py``): each
leader's cell says whether the firm is in the community already, with a link,
or offers the button; each sector offers to add all its leaders. The buttons
post here; the leaders are read back from the research run, so a form cannot
add a firm that is not a leader of that run, region and sector.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from creative_regions.community.models import Organisation
from creative_regions.community.selectors import organisation_list
from creative_regions.community.services import (
    organisation_from_register,
    user_can_write,
)
from creative_regions.core.models import User, sees_all_regions
from creative_regions.geo.models import Region
from creative_regions.geo.selectors import region_get_for_user
from creative_regions.research.selectors import (
    research_leader_list,
    research_run_get,
)

CELL_TEMPLATE = "community/leaders/_leader_cell.html"
SECTOR_TEMPLATE = "community/leaders/_sector_actions.html"


@dataclass(frozen=True)
class Leader:
    """A leader of a run as the community needs it: the firm and where it leads."""

    run_id: int
    region_code: str
    sector: str
    rank: int
    inn: str
    name: str


def leader_list(
    *, user: User, run_id: int, region: Region, sector: str
) -> list[Leader]:
    """The leaders of ``sector`` in ``region`` in the run, by rank; a partner's
    list is empty outside their regions."""
    run = research_run_get(run_id=run_id)
    return [
        Leader(
            run_id=run.pk,
            region_code=row.region_code,
            sector=row.sector,
            rank=row.rank,
            inn=row.inn,
            name=row.name or "",
        )
        for row in research_leader_list(
            run=run, region_code=region.code, sector=sector, user=user
        )
    ]


def sector_key(sector: str) -> str:
    """A short id for a sector's block of the page (its name has spaces)."""
    return hashlib.blake2s(sector.encode(), digest_size=6).hexdigest()


def can_add_leaders(user: User, region: Region) -> bool:
    """Whether the user may add the region's leaders: a role that writes, and
    for a regional partner one of their regions."""
    if not user_can_write(user):
        return False
    return sees_all_regions(user) or user.regions.filter(pk=region.pk).exists()


def _organisation_url(organisation: Organisation) -> str:
    return reverse("community:organisation-detail", args=[organisation.pk])


def _organisations_by_inn(user: User, inns) -> dict[str, Organisation]:
    queryset = organisation_list(user=user).select_related(None).prefetch_related(None)
    return {
        organisation.inn: organisation
        for organisation in queryset.filter(inn__in=list(inns)).only(
            "pk", "inn", "full_name", "short_name"
        )
    }


# The passport's slots ----------------------------------------------------------------


@dataclass(frozen=True)
class _PassportLinks:
    organisations: dict[str, Organisation]
    can_add: bool
    add_url: str


def _passport_links(context, passport) -> _PassportLinks:
    """Which of the passport's leaders are in the community and whether the user
    may add them: worked out once per page, whatever the number of rows."""
    key = ("community.leaders", passport.run.pk, passport.region.pk)
    cache = context.render_context
    if key not in cache:
        user = context["request"].user
        inns = {
            leader.inn for line in passport.leader_sectors for leader in line.leaders
        }
        cache[key] = _PassportLinks(
            organisations=_organisations_by_inn(user, inns),
            can_add=can_add_leaders(user, passport.region),
            add_url=reverse("community:leader-add"),
        )
    return cache[key]


def _cell_context(
    *,
    request: HttpRequest,
    run_id: int,
    region: Region,
    sector: str,
    inn: str,
    organisation: Organisation | None,
    can_add: bool,
    add_url: str = "",
    error: str = "",
    is_oob: bool = False,
) -> dict:
    return {
        "request": request,
        "add_url": add_url or reverse("community:leader-add"),
        "run_id": run_id,
        "region": region,
        "sector": sector,
        "inn": inn,
        "organisation": organisation,
        "organisation_url": _organisation_url(organisation) if organisation else "",
        "can_add": can_add,
        "error": error,
        "is_oob": is_oob,
    }


def _render_in_page(context, template_name: str, values: dict) -> str:
    """A slot's fragment inside the page being rendered: with the page's CSRF token
    but without running the context processors again for every fragment (a
    passport has up to 200 of them; the processors cost more than the fragment)."""
    return render_to_string(
        template_name, {**values, "csrf_token": context.get("csrf_token")}
    )


def leader_cell(context, *, leader, passport) -> str:
    """A leader row's cell: "in the community" with a link, or the button."""
    links = _passport_links(context, passport)
    return _render_in_page(
        context,
        CELL_TEMPLATE,
        _cell_context(
            request=context["request"],
            run_id=passport.run.pk,
            region=passport.region,
            sector=leader.sector,
            inn=leader.inn,
            organisation=links.organisations.get(leader.inn),
            can_add=links.can_add,
            add_url=links.add_url,
        ),
    )


def _sector_context(
    *,
    run_id: int,
    region: Region,
    sector: str,
    missing: int,
    total: int,
    can_add: bool,
    errors: list | None = None,
    is_oob: bool = False,
) -> dict:
    return {
        "run_id": run_id,
        "region": region,
        "sector": sector,
        "sector_key": sector_key(sector),
        "missing": missing,
        "total": total,
        "can_add": can_add,
        "errors": errors or [],
        "is_oob": is_oob,
    }


def leader_sector_actions(context, *, line, passport) -> str:
    """Under a sector's leaders: add all of them, or say they are all in."""
    links = _passport_links(context, passport)
    missing = [
        leader for leader in line.leaders if leader.inn not in links.organisations
    ]
    return _render_in_page(
        context,
        SECTOR_TEMPLATE,
        _sector_context(
            run_id=passport.run.pk,
            region=passport.region,
            sector=line.sector,
            missing=len(missing),
            total=len(line.leaders),
            can_add=links.can_add,
        ),
    )


# Adding ------------------------------------------------------------------------------


class LeaderAddForm(forms.Form):
    """A leader (``inn``) or every leader of a sector of a region in a run."""

    run = forms.IntegerField(label=gettext_lazy("research run"), min_value=1)
    region = forms.CharField(label=gettext_lazy("region"), max_length=2)
    sector = forms.CharField(label=gettext_lazy("sector"), max_length=200)
    inn = forms.CharField(label=gettext_lazy("INN"), max_length=12, required=False)


@dataclass(frozen=True)
class LeaderOutcome:
    leader: Leader
    organisation: Organisation | None
    created: bool = False
    error: str = ""


def _is_about_sectors_only(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and set(error.error_dict) == {"sectors"}


def leader_add(*, user: User, region: Region, leader: Leader) -> LeaderOutcome:
    """Creates the leader's organisation from the register, or links the one
    with its INN, and puts the leader's sector on it."""

    def from_register(sectors: list[str]):
        return organisation_from_register(
            user=user, inn=leader.inn, region=region, name=leader.name, sectors=sectors
        )

    try:
        try:
            link = from_register([leader.sector])
        except ValidationError as error:
            # A run of a classification version no longer active may name a
            # sector the community does not know: the firm is added all the same.
            if not _is_about_sectors_only(error):
                raise
            link = from_register([])
    except ValidationError as error:
        return LeaderOutcome(
            leader=leader, organisation=None, error=" ".join(error.messages)
        )
    return LeaderOutcome(
        leader=leader, organisation=link.organisation, created=link.created
    )


class _LeaderAddBase(LoginRequiredMixin, View):
    http_method_names = ["post"]
    adds_sector = False

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LeaderAddForm(request.POST)
        if not form.is_valid():
            problems = "; ".join(
                f"{form.fields[name].label if name in form.fields else name}: "
                f"{' '.join(errors)}"
                for name, errors in form.errors.items()
            )
            return HttpResponse(
                problems, status=400, content_type="text/plain; charset=utf-8"
            )
        data = form.cleaned_data
        # A partner of another region gets 404, as for the passport itself.
        region = region_get_for_user(user=request.user, code=data["region"])
        if not can_add_leaders(request.user, region):
            raise PermissionDenied(
                _("Your role does not allow adding organisations to the community.")
            )
        sector_leaders = leader_list(
            user=request.user,
            run_id=data["run"],
            region=region,
            sector=data["sector"],
        )
        leaders = sector_leaders
        if not self.adds_sector:
            leaders = [leader for leader in leaders if leader.inn == data["inn"]]
        if not leaders:
            raise Http404(_("No such industry leader in this research run."))
        outcomes = [
            leader_add(user=request.user, region=region, leader=leader)
            for leader in leaders
        ]
        if request.htmx and not request.htmx.boosted:
            response = HttpResponse(
                self.fragment(request, region, data, outcomes)
                + self.sector_fragment(request, region, data, sector_leaders, outcomes)
            )
            patch_vary_headers(response, ("HX-Request",))
            return response
        self.report(request, outcomes)
        query = urlencode({"run": data["run"]})
        passport = reverse("research:region-passport", kwargs={"code": region.code})
        return redirect(f"{passport}?{query}#leaders")

    def fragment(self, request, region, data, outcomes) -> str:
        raise NotImplementedError

    def sector_fragment(self, request, region, data, sector_leaders, outcomes) -> str:
        """The sector's block, swapped out of band: its button counts the
        leaders still missing."""
        inns = {leader.inn for leader in sector_leaders}
        present = _organisations_by_inn(request.user, inns)
        return render_to_string(
            SECTOR_TEMPLATE,
            _sector_context(
                run_id=data["run"],
                region=region,
                sector=data["sector"],
                missing=len(inns - set(present)),
                total=len(inns),
                can_add=True,
                errors=[outcome for outcome in outcomes if outcome.error]
                if self.adds_sector
                else [],
                is_oob=True,
            ),
            request=request,
        )

    def report(self, request: HttpRequest, outcomes: list[LeaderOutcome]) -> None:
        for outcome in outcomes:
            if outcome.error:
                messages.error(
                    request,
                    _("“%(name)s” was not added to the community: %(reason)s")
                    % {
                        "name": outcome.leader.name or outcome.leader.inn,
                        "reason": outcome.error,
                    },
                )
        created = [
            outcome for outcome in outcomes if outcome.organisation and outcome.created
        ]
        linked = [
            outcome
            for outcome in outcomes
            if outcome.organisation and not outcome.created
        ]
        if len(outcomes) == 1 and created:
            messages.success(
                request,
                _("“%(name)s” was added to the community with its register facts.")
                % {"name": created[0].organisation.name},
            )
        elif len(outcomes) == 1 and linked:
            messages.info(
                request,
                _("“%(name)s” is already in the community.")
                % {"name": linked[0].organisation.name},
            )
        else:
            if created:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s leader was added to the community.",
                        "%(count)s leaders were added to the community.",
                        len(created),
                    )
                    % {"count": len(created)},
                )
            if linked:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s leader was already in the community.",
                        "%(count)s leaders were already in the community.",
                        len(linked),
                    )
                    % {"count": len(linked)},
                )


class LeaderAddView(_LeaderAddBase):
    """Adds one leader of a region passport to the community (or links it)."""

    def fragment(self, request, region, data, outcomes) -> str:
        outcome = outcomes[0]
        return render_to_string(
            CELL_TEMPLATE,
            _cell_context(
                request=request,
                run_id=data["run"],
                region=region,
                sector=data["sector"],
                inn=outcome.leader.inn,
                organisation=outcome.organisation,
                can_add=True,
                error=outcome.error,
            ),
            request=request,
        )


class LeaderSectorAddView(_LeaderAddBase):
    """Adds every leader of a sector of a region passport to the community."""

    adds_sector = True

    def fragment(self, request, region, data, outcomes) -> str:
        # Every row's cell, swapped out of band; the sector's block follows.
        return "".join(
            render_to_string(
                CELL_TEMPLATE,
                _cell_context(
                    request=request,
                    run_id=data["run"],
                    region=region,
                    sector=data["sector"],
                    inn=outcome.leader.inn,
                    organisation=outcome.organisation,
                    can_add=True,
                    error=outcome.error,
                    is_oob=True,
                ),
                request=request,
            )
            for outcome in outcomes
        )
