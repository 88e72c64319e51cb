"""Pages of the people at events: an event's delegations and their members, the
delegate list with its filters, totals and exports, the attendance grid, the
feedback results, internship placements and the meetings of outreach visits.

Reads go through the selectors and writes through the services, so a regional
partner meets the same rules here as in the API: they see their regions'
delegations and registrations at the events they may see, and register their
own regions' delegations; experts read; agency staff do everything.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView

from creative_regions.community import services as community_services
from creative_regions.community.models import Person
from creative_regions.community.selectors import person_role_list
from creative_regions.community.selectors_dialogue import participant_search
from creative_regions.core.exports import XLSX_CONTENT_TYPE, xlsx_bytes
from creative_regions.core.services import personal_data_export_log
from creative_regions.geo.selectors import region_list
from creative_regions.programmes import selectors, services
from creative_regions.programmes.filters_people import RegistrationFilterSet
from creative_regions.programmes.forms_people import (
    FOLLOW_UPS_PREFIX,
    NEW_PEOPLE_PREFIX,
    DelegationForm,
    FollowUpForm,
    FollowUpFormSet,
    MeetingForm,
    MembersForm,
    NewPersonForm,
    NewPersonFormSet,
    PlacementForm,
    RegistrationCreateForm,
    chosen_records,
)
from creative_regions.programmes.models import (
    Attendance,
    Delegation,
    Event,
    Registration,
)

TEMPLATE_DIR = "programmes/people"
PAGE_SIZE = 50
EXPORT_FORMATS = ("xlsx", "csv")
# Parameters of the delegate list that are not filters.
NOT_FILTERS = ("page",)
EXPORT_DATASET = "programmes.registration"
EXPORT_PURPOSE = "event participants"


# Shared pieces ------------------------------------------------------------------------


def _is_partial(request: HttpRequest) -> bool:
    """Whether an HTMX request wants a fragment; a history restore (Back after
    the browser dropped its copy of the page) wants the whole page."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class EventPageMixin(LoginRequiredMixin):
    """A page about one event the user may see (404 otherwise, so a partner
    cannot tell another region's event from a missing one). ``check_role``
    refuses a role before anything is looked up."""

    people_tab = ""
    event: Event

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.check_role(request.user)
        self.load(request.user)
        return super().dispatch(request, *args, **kwargs)

    def check_role(self, user) -> None:
        """Every signed-in user may read; writing pages narrow it."""

    def load(self, user) -> None:
        self.event = selectors.event_get_for_user(user=user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(event=self.event, people_tab=self.people_tab)
        return context


def _check_staff(user) -> None:
    if not services.user_is_programme_staff(user):
        raise PermissionDenied(_("Your role does not allow changing events."))


def _check_delegation_writer(user) -> None:
    if not services.user_can_register_delegations(user):
        raise PermissionDenied(_("Your role does not allow registering delegations."))


@dataclass(frozen=True)
class SortableColumn:
    label: str
    url: str
    # The value of aria-sort: "ascending", "descending", or "" when unsorted.
    direction: str


def sortable_columns(
    request: HttpRequest, specs: Sequence[tuple[str, str, tuple[str, ...]]]
) -> dict[str, SortableColumn]:
    """Links of the column headers: a click sorts by the column, a second click
    turns the order round (``specs`` gives each column's orders, the first one
    being where a click on an unsorted column leads)."""
    current = request.GET.get("sort", "")
    columns = {}
    for key, label, orders in specs:
        if current in orders:
            following = orders[(orders.index(current) + 1) % len(orders)]
            direction = "descending" if current.startswith("-") else "ascending"
        else:
            following, direction = orders[0], ""
        query = request.GET.copy()
        for name in ("page", "sort"):
            query.pop(name, None)
        if following:
            query["sort"] = following
        columns[key] = SortableColumn(
            label=label, url=f"{request.path}?{query.urlencode()}", direction=direction
        )
    return columns


def filter_query(request: HttpRequest, drop: Iterable[str] = NOT_FILTERS) -> str:
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


def table_response(
    *,
    filename: str,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    file_format: str,
) -> HttpResponse:
    """A list as an XLSX workbook or a CSV file (UTF-8, comma-separated)."""
    if file_format == "xlsx":
        response = HttpResponse(
            xlsx_bytes(sheet_title=sheet_title, headers=headers, rows=rows),
            content_type=XLSX_CONTENT_TYPE,
        )
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([capfirst(str(header)) for header in headers])
        writer.writerows(
            ["" if value is None else value for value in row] for row in rows
        )
        response = HttpResponse(
            buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_filter_response(filterset) -> HttpResponse:
    fields = filterset.form.fields
    lines = [
        f"{fields[name].label if name in fields else name}: {' '.join(errors)}"
        for name, errors in filterset.form.errors.items()
    ]
    return HttpResponse(
        "\n".join(lines), status=400, content_type="text/plain; charset=utf-8"
    )


def _registration_outcome(registration: Registration | None, error: str) -> str:
    """What became of one person's registration, as the result lists say it."""
    if registration is None:
        return error
    if registration.status == Registration.Status.WAITLISTED:
        return _("On the waitlist, number %(position)s in the queue.") % {
            "position": selectors.waitlist_position(registration)
        }
    return _("Registered, the place is confirmed.")


# Pickers ------------------------------------------------------------------------------


class PickerView(LoginRequiredMixin, View):
    """Matches for a picker of people or organisations among those the user
    sees; the chosen ones are left out. A picker of a delegation's members
    offers a role for each person."""

    KINDS = ("person", "organisation")

    def get(self, request: HttpRequest) -> HttpResponse:
        kind = request.GET.get("kind", "")
        field = request.GET.get("field", "")
        if kind not in self.KINDS or not field.isidentifier():
            raise Http404("No such picker.")
        text = request.GET.get("picker_q", "").replace("\x00", "")[:200]
        region = None
        region_id = request.GET.get("region", "")
        if region_id.isdigit() and len(region_id) < 10:
            region = region_list(user=request.user).filter(pk=int(region_id)).first()
        chosen = [
            int(value)
            for value in request.GET.getlist(field)
            if value.isdigit() and len(value) < 19
        ]
        records = []
        if text.strip():
            records = participant_search(
                user=request.user, kind=kind, text=text, region=region, exclude=chosen
            )
        with_roles = request.GET.get("roles") == "1"
        response = render(
            request,
            f"{TEMPLATE_DIR}/partials/_picker_results.html",
            {
                "records": records,
                "field": field,
                "multiple": request.GET.get("multiple") == "1",
                "with_roles": with_roles,
                "roles": list(person_role_list()) if with_roles else [],
                "text": text,
            },
        )
        patch_vary_headers(response, ("HX-Request",))
        return response


class FormRowView(EventPageMixin, View):
    """One more empty row of a form's table (a new person, a follow-up); the
    formset's count is updated out of band."""

    KINDS = {
        "member": NEW_PEOPLE_PREFIX,
        "person": NEW_PEOPLE_PREFIX,
        "follow_up": FOLLOW_UPS_PREFIX,
    }

    def check_role(self, user) -> None:
        if self.kwargs["kind"] == "member":
            _check_delegation_writer(user)
        else:
            _check_staff(user)

    def get(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        if kind not in self.KINDS:
            raise Http404("No such form.")
        prefix = self.KINDS[kind]
        total = request.GET.get(f"{prefix}-TOTAL_FORMS", "")
        # The formset refuses more than its maximum anyway; this keeps the
        # count from growing without end.
        index = min(int(total), 999) if total.isdigit() and len(total) < 5 else 0
        if kind == "follow_up":
            row_form = FollowUpForm(
                prefix=f"{prefix}-{index}",
                region=self.event.region,
                default_owner=request.user,
            )
            template = "_follow_up_row.html"
        else:
            row_form = NewPersonForm(
                prefix=f"{prefix}-{index}", with_role=kind == "member"
            )
            template = "_new_person_row.html"
        return render(
            request,
            f"{TEMPLATE_DIR}/partials/{template}",
            {
                "row_form": row_form,
                "total": index + 1,
                "prefix": prefix,
                "out_of_band": True,
            },
        )


# Delegations --------------------------------------------------------------------------


class DelegationListView(EventPageMixin, TemplateView):
    template_name = f"{TEMPLATE_DIR}/delegation_list.html"
    people_tab = "delegations"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        delegations = list(selectors.delegation_list(user=user, event=self.event))
        context.update(
            delegations=delegations,
            member_total=sum(delegation.member_count for delegation in delegations),
            can_register=services.user_can_register_delegations(user),
        )
        return context


class DelegationPageMixin(EventPageMixin):
    """A page about one delegation the user may see; its event is the page's."""

    delegation: Delegation

    def load(self, user) -> None:
        self.delegation = selectors.delegation_get_for_user(
            user=user, pk=self.kwargs["pk"]
        )
        self.event = self.delegation.event

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        members = selectors.registration_list(user=user, event=self.event).filter(
            delegation=self.delegation
        )
        context.update(
            delegation=self.delegation,
            members=members.order_by(
                "status", "person__surname", "person__first_name", "pk"
            ),
            can_edit=services.user_can_register_delegations(
                user, self.delegation.region
            ),
        )
        return context


class DelegationDetailView(DelegationPageMixin, TemplateView):
    template_name = f"{TEMPLATE_DIR}/delegation_detail.html"
    people_tab = "delegations"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_cancel"] = _can_cancel(self.request.user, self.delegation)
        return context


class DelegationFormMixin:
    """Creates or changes a delegation through its service; the service's
    refusals are shown next to their fields."""

    template_name = f"{TEMPLATE_DIR}/delegation_form.html"
    people_tab = "delegations"
    request: HttpRequest

    def check_role(self, user) -> None:
        _check_delegation_writer(user)

    def form(self, data=None) -> DelegationForm:
        return DelegationForm(data, user=self.request.user, initial=self.initial())

    def initial(self) -> dict:
        return {}

    def render_form(self, form: DelegationForm, status: int = 200) -> HttpResponse:
        context = self.get_context_data(
            form=form,
            organisations=chosen_records(form, "organisation"),
            heads=chosen_records(form, "head"),
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                delegation = self.save(form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, self.success_message(delegation))
                return redirect(self.success_url(delegation))
        return self.render_form(form, status=400)


class DelegationCreateView(DelegationFormMixin, EventPageMixin, TemplateView):
    def initial(self) -> dict:
        regions = list(region_list(user=self.request.user)[:2])
        return {"region": regions[0].pk} if len(regions) == 1 else {}

    def save(self, data: dict) -> Delegation:
        return services.delegation_create(
            user=self.request.user, event=self.event, **data
        )

    def success_message(self, delegation: Delegation) -> str:
        return _(
            "The delegation of %(region)s is recorded. Now register its members."
        ) % {"region": delegation.region.name}

    def success_url(self, delegation: Delegation) -> str:
        return reverse("programmes:delegation-members", args=[delegation.pk])


class DelegationUpdateView(DelegationFormMixin, DelegationPageMixin, TemplateView):
    def load(self, user) -> None:
        super().load(user)
        if not services.user_can_register_delegations(user, self.delegation.region):
            raise PermissionDenied(
                _("You can only register delegations of your own regions.")
            )

    def initial(self) -> dict:
        return DelegationForm.initial_for(self.delegation)

    def save(self, data: dict) -> Delegation:
        return services.delegation_update(
            user=self.request.user, delegation=self.delegation, **data
        )

    def success_message(self, delegation: Delegation) -> str:
        return _("The changes are saved.")

    def success_url(self, delegation: Delegation) -> str:
        return reverse("programmes:delegation-detail", args=[delegation.pk])


@dataclass(frozen=True)
class MemberResult:
    """One line of the result of a bulk registration."""

    person: Person
    registration: Registration | None
    message: str
    is_new: bool
    is_matched: bool


class MemberRowsRefused(Exception):
    """Raised inside the transaction so that no person of a refused form is kept."""


class DelegationMembersView(DelegationPageMixin, TemplateView):
    """Registers a delegation's members at once: people picked from the
    community with a role each, and new people recorded in the community on the
    way. The result says what became of each."""

    template_name = f"{TEMPLATE_DIR}/delegation_members.html"
    people_tab = "delegations"

    def check_role(self, user) -> None:
        _check_delegation_writer(user)

    def load(self, user) -> None:
        super().load(user)
        if not services.user_can_register_delegations(user, self.delegation.region):
            raise PermissionDenied(
                _("You can only register delegations of your own regions.")
            )

    def forms(self, data=None) -> tuple[MembersForm, Any]:
        form = MembersForm(data, user=self.request.user)
        formset = NewPersonFormSet(
            data, prefix=NEW_PEOPLE_PREFIX, form_kwargs={"with_role": True}
        )
        return form, formset

    def render_forms(self, form, formset, status: int = 200, **extra) -> HttpResponse:
        chosen = chosen_records(form, "members")
        for person in chosen:
            value = str(form.data.get(f"role-{person.pk}", "")) if form.is_bound else ""
            person.chosen_role = int(value) if value.isdigit() else None
        context = self.get_context_data(
            form=form,
            formset=formset,
            chosen=chosen,
            roles=list(person_role_list()),
            is_open=_is_open(self.event),
            **extra,
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_forms(*self.forms())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form, formset = self.forms(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_forms(form, formset, status=400)
        if not _is_open(self.event):
            # Said before anyone is recorded in the community for nothing.
            form.add_error(None, _("The event is over or cancelled: nobody can join."))
            return self.render_forms(form, formset, status=400)
        rows = formset.filled_forms()
        if not form.member_roles() and not rows:
            form.add_error(
                None, _("Pick people from the community or add new people first.")
            )
            return self.render_forms(form, formset, status=400)
        try:
            with transaction.atomic():
                created = self.record_new_people(rows)
        except MemberRowsRefused:
            return self.render_forms(form, formset, status=400)
        members = [*form.member_roles(), *((p, role) for p, role, _n in created)]
        outcomes = services.delegation_register_members(
            user=request.user, delegation=self.delegation, members=members
        )
        new = {person.pk: is_new for person, _role, is_new in created}
        results = [
            MemberResult(
                person=outcome.person,
                registration=outcome.registration,
                message=_registration_outcome(outcome.registration, outcome.error),
                is_new=new.get(outcome.person.pk, False),
                is_matched=new.get(outcome.person.pk) is False,
            )
            for outcome in outcomes
        ]
        statuses = [
            result.registration.status for result in results if result.registration
        ]
        return self.render_forms(
            *self.forms(),
            results=results,
            registered_count=len(statuses),
            confirmed_count=statuses.count(Registration.Status.CONFIRMED),
            waitlisted_count=statuses.count(Registration.Status.WAITLISTED),
            refused_count=len(results) - len(statuses),
        )

    def record_new_people(self, rows: list[NewPersonForm]) -> list[tuple]:
        """The new people of the form, recorded in the community in the
        delegation's region; one whose e-mail the community already knows (among
        the people the user sees) is that person, not a duplicate."""
        user = self.request.user
        created = []
        refused = False
        visible = Person.objects.visible_to(user)
        for row in rows:
            arguments = row.person_arguments()
            role = row.cleaned_data.get("role")
            email = arguments["email"].strip()
            match = visible.filter(email__iexact=email).first() if email else None
            if match is not None:
                created.append((match, role, False))
                continue
            try:
                person = community_services.person_create(
                    user=user,
                    region=self.delegation.region,
                    roles=[role] if role else [],
                    **arguments,
                )
            except ValidationError as error:
                row.add_service_error(error)
                refused = True
            else:
                created.append((person, role, True))
        if refused:
            raise MemberRowsRefused
        return created


def _is_open(event: Event) -> bool:
    """Whether people may still join the event."""
    return event.status not in (Event.Status.HELD, Event.Status.CANCELLED)


def _can_cancel(user, delegation: Delegation | None) -> bool:
    """Staff cancel any registration; a partner those of their own regions'
    delegations."""
    if services.user_is_programme_staff(user):
        return True
    return (
        delegation is not None
        and bool(user.is_partner)
        and (services.user_can_register_delegations(user, delegation.region))
    )


# The delegate list --------------------------------------------------------------------

REGISTRATION_SORTS = (
    ("name", gettext_lazy("Person"), ("name", "-name")),
    ("region", gettext_lazy("Region"), ("region", "-region")),
    ("delegation", gettext_lazy("Delegation"), ("delegation", "-delegation")),
    ("role", pgettext_lazy("delegation", "Role"), ("role", "-role")),
    ("status", gettext_lazy("Status"), ("status", "-status")),
    ("source", gettext_lazy("Source"), ("source", "-source")),
    ("registered", gettext_lazy("Registered"), ("", "-registered")),
    ("attended", pgettext_lazy("registration", "Attended"), ("-attended", "attended")),
)


def _registration_filterset(
    request: HttpRequest, event: Event
) -> RegistrationFilterSet:
    return RegistrationFilterSet(
        request.GET,
        queryset=selectors.registration_list(user=request.user, event=event),
        request=request,
    )


def _setup_registration_filters(filterset, *, user, event: Event) -> None:
    """The filter bar's select boxes: what the user may pick, in the page's
    words; a value the list lacks (a shared link) is kept so the bar shows it."""
    fields, data = filterset.form.fields, filterset.data

    def select(choices, current, empty_label) -> forms.Select:
        options = [("", empty_label), *((str(v), label) for v, label in choices)]
        if current and all(str(current) != value for value, _label in options):
            options.append((str(current), str(current)))
        return forms.Select(choices=options, attrs={"class": "form-select"})

    fields["q"].widget.input_type = "search"
    fields["delegation"].widget = select(
        (
            (delegation.pk, delegation.region.name)
            for delegation in selectors.delegation_list(user=user, event=event)
        ),
        data.get("delegation"),
        _("All delegations"),
    )
    fields["region"].widget = select(
        ((region.code, region.name) for region in region_list(user=user)),
        data.get("region"),
        _("All regions"),
    )
    fields["role"].widget = select(
        ((role.code, role.name) for role in person_role_list()),
        data.get("role"),
        _("All roles"),
    )
    fields["sort"].widget = forms.HiddenInput(attrs={"id": "filter-sort"})


class RegistrationListView(EventPageMixin, TemplateView):
    """The delegate list: filtered, searched, sorted and paged, with totals that
    follow the filter; an HTMX request gets only the results."""

    template_name = f"{TEMPLATE_DIR}/registration_list.html"
    partial_template_name = f"{TEMPLATE_DIR}/partials/_registration_results.html"
    people_tab = "registrations"

    def get_template_names(self) -> list[str]:
        if _is_partial(self.request):
            return [self.partial_template_name]
        return [self.template_name]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = _registration_filterset(self.request, self.event)
        if not _is_partial(self.request):
            _setup_registration_filters(filterset, user=user, event=self.event)
        is_valid = filterset.is_valid()
        records = filterset.qs if is_valid else filterset.queryset.none()
        page = Paginator(records, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            filterset=filterset,
            filter_errors=[] if is_valid else list(filterset.form.errors.items()),
            page=page,
            totals=selectors.registration_totals(records, self.event),
            # Free places are the event's, whatever the filter shows.
            places=selectors.registration_totals(
                self.event.registrations.all(), self.event
            ),
            query_string=filter_query(self.request),
            columns=sortable_columns(self.request, REGISTRATION_SORTS),
            current_sort=self.request.GET.get("sort", ""),
            is_partial=_is_partial(self.request),
            is_staff=services.user_is_programme_staff(user),
            can_export=community_services.user_can_export_people(user),
            can_cancel_own=bool(user.is_partner),
            own_region_ids=(
                set(user.regions.values_list("pk", flat=True))
                if user.is_partner
                else set()
            ),
        )
        return context


def registration_export_rows(registrations: Iterable[Registration]):
    headers = [
        _("Surname"),
        _("First name"),
        _("Patronymic"),
        _("Position"),
        _("Region"),
        _("E-mail"),
        _("Phone"),
        _("Delegation"),
        pgettext("delegation", "Role"),
        _("Status"),
        _("Source"),
        _("Registered"),
        _("Sessions attended"),
        _("Checked in"),
    ]

    def moment(value) -> str:
        if value is None:
            return ""
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    rows = (
        [
            registration.person.surname,
            registration.person.first_name,
            registration.person.patronymic,
            registration.person.position,
            registration.person.region.name,
            registration.person.email,
            registration.person.phone,
            registration.delegation.region.name if registration.delegation else "",
            registration.role.name if registration.role else "",
            registration.get_status_display(),
            registration.get_source_display(),
            moment(registration.queued_at),
            registration.attended,
            moment(registration.checked_in_at),
        ]
        for registration in registrations
    )
    return headers, rows


class RegistrationExportView(EventPageMixin, View):
    """The delegate list with the page's filter as XLSX or CSV. It holds names,
    e-mails and phones, so only the roles that may export people's personal data
    download it, and every download is written to the personal-data log."""

    def check_role(self, user) -> None:
        if not community_services.user_can_export_people(user):
            raise PermissionDenied(
                _("Your role does not allow exporting people's personal data.")
            )

    def get(self, request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
        if file_format not in EXPORT_FORMATS:
            raise Http404("No such format.")
        filterset = _registration_filterset(request, self.event)
        if not filterset.is_valid():
            return _bad_filter_response(filterset)
        registrations = list(filterset.qs)
        query = filter_query(request)
        personal_data_export_log(
            user=request.user,
            dataset=EXPORT_DATASET,
            query=f"event={self.event.pk}" + (f"&{query}" if query else ""),
            row_count=len(registrations),
            purpose=EXPORT_PURPOSE,
            file_format=file_format,
        )
        headers, rows = registration_export_rows(registrations)
        return table_response(
            filename=f"event-{self.event.pk}-delegates.{file_format}",
            sheet_title=_("Delegates"),
            headers=headers,
            rows=rows,
            file_format=file_format,
        )


class RegistrationCreateView(EventPageMixin, TemplateView):
    """Staff register a person by hand: one from the community, or a new one
    recorded in the community on the way."""

    template_name = f"{TEMPLATE_DIR}/registration_form.html"
    people_tab = "registrations"

    def check_role(self, user) -> None:
        _check_staff(user)

    def form(self, data=None) -> RegistrationCreateForm:
        return RegistrationCreateForm(
            data,
            user=self.request.user,
            delegations=selectors.delegation_list(
                user=self.request.user, event=self.event
            ),
        )

    def render_form(self, form, status: int = 200) -> HttpResponse:
        context = self.get_context_data(
            form=form, people=chosen_records(form, "person")
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        data = form.cleaned_data
        person = data["person"]
        try:
            with transaction.atomic():
                if person is None:
                    person = community_services.person_create(
                        user=request.user,
                        roles=[data["role"]] if data["role"] else [],
                        **form.new_person_arguments(),
                    )
                registration = services.registration_create(
                    event=self.event,
                    person=person,
                    source=Registration.Source.STAFF,
                    delegation=data["delegation"],
                    role=data["role"],
                )
        except ValidationError as error:
            form.add_service_error(
                error, renamed={"email": "person"} if data["person"] else None
            )
            return self.render_form(form, status=400)
        messages.success(
            request,
            _("%(name)s: %(outcome)s")
            % {
                "name": person.full_name,
                "outcome": _registration_outcome(registration, ""),
            },
        )
        return redirect("programmes:registration-list", pk=self.event.pk)


class RegistrationCancelView(LoginRequiredMixin, View):
    """Cancels a registration; the freed place goes to the first on the
    waitlist, who is named in the message."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        if not (services.user_is_programme_staff(user) or user.is_partner):
            raise PermissionDenied(_("Your role does not allow changing events."))
        registration = _get_registration(user, pk)
        if not _can_cancel(user, registration.delegation):
            raise PermissionDenied(_("Only agency staff can cancel this registration."))
        default = reverse("programmes:registration-list", args=[registration.event_id])
        if registration.status == Registration.Status.CANCELLED:
            messages.info(request, _("This registration was already cancelled."))
            return redirect(_safe_next(request, default))
        started = timezone.now()
        try:
            services.registration_cancel(registration=registration, user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_safe_next(request, default))
        promoted = list(
            Registration.objects.filter(
                event_id=registration.event_id, promoted_at__gte=started
            ).select_related("person")
        )
        message = _("The registration of %(name)s is cancelled.") % {
            "name": registration.person.full_name
        }
        if promoted:
            message += " " + _("Promoted from the waitlist: %(names)s.") % {
                "names": ", ".join(item.person.full_name for item in promoted)
            }
        messages.success(request, message)
        return redirect(_safe_next(request, default))


def _get_registration(user, pk) -> Registration:
    registration = (
        selectors.registration_list(user=user)
        .filter(pk=pk)
        .select_related(None)
        .first()
    )
    if registration is None:
        raise Http404(_("No such registration."))
    return Registration.objects.select_related(
        "person", "delegation__region", "event"
    ).get(pk=registration.pk)


# Attendance ---------------------------------------------------------------------------


class AttendanceGridView(EventPageMixin, TemplateView):
    """Who came to which session: one row per confirmed registration, one column
    per session of the itinerary; staff tick the cells, which save at once."""

    template_name = f"{TEMPLATE_DIR}/attendance_grid.html"
    people_tab = "attendance"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        sessions = list(selectors.session_list(event=self.event))
        registrations = list(
            selectors.registration_list(user=user, event=self.event)
            .filter(status=Registration.Status.CONFIRMED)
            .order_by("person__surname", "person__first_name", "pk")
        )
        present = set(
            Attendance.objects.filter(
                session__event=self.event,
                registration__in=[registration.pk for registration in registrations],
            ).values_list("registration_id", "session_id")
        )
        rows = [
            {
                "registration": registration,
                "cells": [
                    {
                        "session": session,
                        "present": (registration.pk, session.pk) in present,
                    }
                    for session in sessions
                ],
            }
            for registration in registrations
        ]
        totals = [
            {
                "session": session,
                "count": sum(1 for r in registrations if (r.pk, session.pk) in present),
            }
            for session in sessions
        ]
        context.update(
            sessions=sessions,
            rows=rows,
            totals=totals,
            can_edit=services.user_is_programme_staff(user),
        )
        return context


class AttendanceSetView(EventPageMixin, View):
    """A cell of the attendance grid, saved in place: the cell comes back with
    its column's new total out of band."""

    def check_role(self, user) -> None:
        _check_staff(user)

    def post(
        self, request: HttpRequest, pk: int, registration_pk: int, session_pk: int
    ) -> HttpResponse:
        registration = (
            selectors.registration_list(user=request.user, event=self.event)
            .filter(pk=registration_pk)
            .first()
        )
        session = self.event.sessions.filter(pk=session_pk).first()
        if registration is None or session is None:
            raise Http404(_("No such registration or session."))
        present = request.POST.get("present", "") in ("1", "on", "true")
        error = ""
        try:
            services.attendance_set(
                user=request.user,
                registration=registration,
                session=session,
                present=present,
            )
        except ValidationError as refusal:
            error, present = " ".join(refusal.messages), False
        count = Attendance.objects.filter(
            session=session, registration__status=Registration.Status.CONFIRMED
        ).count()
        return render(
            request,
            f"{TEMPLATE_DIR}/partials/_attendance_cell.html",
            {
                "event": self.event,
                "registration": registration,
                "cell": {"session": session, "present": present},
                "can_edit": True,
                "error": error,
                "total": {"session": session, "count": count},
                "out_of_band": True,
            },
            status=400 if error else 200,
        )


# Feedback -----------------------------------------------------------------------------


class FeedbackResultsView(EventPageMixin, TemplateView):
    """What the participants said: responses, the average rating and its
    distribution, the net promoter score and the comments. A partner reads the
    comments of their regions' people only; the figures cover everyone."""

    template_name = f"{TEMPLATE_DIR}/feedback_results.html"
    people_tab = "feedback"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        results = selectors.feedback_results(self.event)
        comments = results.comments
        if user.is_partner:
            visible = set(
                selectors.registration_list(user=user, event=self.event).values_list(
                    "pk", flat=True
                )
            )
            comments = [item for item in comments if item.registration_id in visible]
        responses = results.responses

        def share(count: int) -> float:
            return round(100 * count / responses, 1) if responses else 0

        confirmed = self.event.registrations.filter(
            status=Registration.Status.CONFIRMED
        ).count()
        context.update(
            results=results,
            distribution=[
                {"rating": rating, "count": count, "share": share(count)}
                for rating, count in sorted(results.ratings.items(), reverse=True)
            ],
            groups=[
                {
                    "key": "promoters",
                    "label": _("Promoters (9–10)"),
                    "count": results.promoters,
                    "share": share(results.promoters),
                },
                {
                    "key": "passives",
                    "label": _("Passives (7–8)"),
                    "count": results.passives,
                    "share": share(results.passives),
                },
                {
                    "key": "detractors",
                    "label": _("Detractors (0–6)"),
                    "count": results.detractors,
                    "share": share(results.detractors),
                },
            ],
            nps=results.net_promoter_score,
            comments=comments,
            hidden_comments=len(results.comments) - len(comments),
            confirmed=confirmed,
            response_rate=round(100 * responses / confirmed) if confirmed else None,
        )
        return context


# Internship placements ----------------------------------------------------------------


class InternshipPageMixin(EventPageMixin):
    def load(self, user) -> None:
        super().load(user)
        if self.event.format != Event.Format.INTERNSHIP:
            raise Http404(_("Placements belong to internships."))


class PlacementListView(InternshipPageMixin, TemplateView):
    template_name = f"{TEMPLATE_DIR}/placement_list.html"
    people_tab = "placements"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            placements=selectors.placement_list(user=user, event=self.event),
            can_edit=services.user_is_programme_staff(user),
        )
        return context


class PlacementFormMixin:
    template_name = f"{TEMPLATE_DIR}/placement_form.html"
    people_tab = "placements"
    placement = None
    request: HttpRequest
    event: Event

    def check_role(self, user) -> None:
        _check_staff(user)

    def initial(self) -> dict:
        return {"starts_on": self.event.starts_on, "ends_on": self.event.ends_on}

    def render_form(self, form: PlacementForm, status: int = 200) -> HttpResponse:
        context = self.get_context_data(
            form=form,
            placement=self.placement,
            participants=chosen_records(form, "participant"),
            hosts=chosen_records(form, "host"),
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(
            PlacementForm(user=request.user, initial=self.initial())
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PlacementForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                self.save(form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, self.success_message(form.cleaned_data))
                return redirect("programmes:placement-list", pk=self.event.pk)
        return self.render_form(form, status=400)


class PlacementCreateView(PlacementFormMixin, InternshipPageMixin, TemplateView):
    def save(self, data: dict) -> None:
        services.placement_create(user=self.request.user, event=self.event, **data)

    def success_message(self, data: dict) -> str:
        return _("The placement of %(name)s at %(host)s is recorded.") % {
            "name": data["participant"].full_name,
            "host": data["host"].name,
        }


class PlacementUpdateView(PlacementFormMixin, InternshipPageMixin, TemplateView):
    def load(self, user) -> None:
        super().load(user)
        self.placement = selectors.placement_get_for_user(
            user=user, event=self.event, pk=self.kwargs["placement_pk"]
        )

    def initial(self) -> dict:
        return PlacementForm.initial_for(self.placement)

    def save(self, data: dict) -> None:
        services.placement_update(
            user=self.request.user, placement=self.placement, **data
        )

    def success_message(self, data: dict) -> str:
        return _("The changes are saved.")


# Meetings of outreach visits ----------------------------------------------------------


class MeetingListView(EventPageMixin, TemplateView):
    """The meetings held during the event, each a record of the community's
    dialogue with its people, organisations and follow-ups."""

    template_name = f"{TEMPLATE_DIR}/meeting_list.html"
    people_tab = "meetings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            meetings=selectors.meeting_list(user=user, event=self.event),
            can_record=services.user_is_programme_staff(user),
            today=timezone.localdate(),
        )
        return context


class MeetingRefused(Exception):
    """Raised inside the transaction so that nothing of a refused form is kept."""


class MeetingCreateView(EventPageMixin, TemplateView):
    """Records a meeting of the visit: written to the community's dialogue as an
    interaction of the event's region, linked to the event, its follow-ups
    listed as the event's outcomes; people met who are not yet in the community
    are recorded there on the way."""

    template_name = f"{TEMPLATE_DIR}/meeting_form.html"
    people_tab = "meetings"

    def check_role(self, user) -> None:
        _check_staff(user)

    def forms(self, data=None):
        user = self.request.user
        form = MeetingForm(data, user=user, event=self.event)
        people = NewPersonFormSet(
            data, prefix=NEW_PEOPLE_PREFIX, form_kwargs={"with_role": False}
        )
        follow_ups = FollowUpFormSet(
            data,
            prefix=FOLLOW_UPS_PREFIX,
            form_kwargs={"region": self.event.region, "default_owner": user},
        )
        return form, people, follow_ups

    def render_forms(self, form, people, follow_ups, status: int = 200):
        context = self.get_context_data(
            form=form,
            new_people=people,
            follow_ups=follow_ups,
            chosen_people=chosen_records(form, "people"),
            chosen_organisations=chosen_records(form, "organisations"),
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_forms(*self.forms())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form, people, follow_ups = self.forms(request.POST)
        if not (form.is_valid() and people.is_valid() and follow_ups.is_valid()):
            return self.render_forms(form, people, follow_ups, status=400)
        try:
            with transaction.atomic():
                meeting = self.save(form, people, follow_ups)
        except MeetingRefused:
            return self.render_forms(form, people, follow_ups, status=400)
        messages.success(
            request,
            _("The meeting “%(topic)s” is recorded in the community's dialogue.")
            % {"topic": meeting.topic},
        )
        return redirect("programmes:meeting-list", pk=self.event.pk)

    def save(self, form, people, follow_ups):
        user = self.request.user
        met = list(form.cleaned_data["people"])
        refused = False
        for row in people.filled_forms():
            try:
                met.append(
                    community_services.person_create(
                        user=user, region=self.event.region, **row.person_arguments()
                    )
                )
            except ValidationError as error:
                row.add_service_error(error)
                refused = True
        if refused:
            raise MeetingRefused
        filled = follow_ups.filled_forms()
        data = form.cleaned_data
        try:
            return services.outreach_meeting_record(
                user=user,
                event=self.event,
                occurred_on=data["occurred_on"],
                topic=data["topic"],
                summary=data["summary"],
                decisions=data["decisions"],
                people=met,
                organisations=data["organisations"],
                staff=[user],
                follow_ups=[
                    community_services.FollowUpInput(
                        description=row.cleaned_data["description"],
                        owner=row.cleaned_data["owner"],
                        due_on=row.cleaned_data["due_on"],
                    )
                    for row in filled
                ],
            )
        except ValidationError as error:
            self.place_errors(form, filled, error)
            raise MeetingRefused from error

    @staticmethod
    def place_errors(form, filled, error: ValidationError) -> None:
        """The service names a follow-up's field ``follow_ups.<n>.<field>`` by
        its place among those sent; the message goes to that row."""
        if not hasattr(error, "error_dict"):
            form.add_service_error(error)
            return
        general: dict[str, list[str]] = {}
        for key, texts in error.message_dict.items():
            prefix, _dot, rest = key.partition(".")
            number, _dot, name = rest.partition(".")
            if (
                prefix == "follow_ups"
                and number.isdigit()
                and int(number) < len(filled)
            ):
                row = filled[int(number)]
                row.add_error(name if name in row.fields else None, texts)
                continue
            general[key] = texts
        if general:
            form.add_service_error(ValidationError(general))
