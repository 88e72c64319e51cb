"""Pages of organisations and people: the lists with their filters, search, sorting
and exports; each record with its register facts, affiliations, consents,
communities, timeline and history; and the forms that create, change and delete
them. Reads go through the selectors and writes through the services, so a
regional partner meets the same rules here as in the API.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View
from django.views.generic import FormView, TemplateView

from creative_regions.community import services
from creative_regions.community.filters import (
    OrganisationFilterSet,
    PersonFilterSet,
)
from creative_regions.community.forms import (
    AffiliationAddForm,
    AffiliationEndForm,
    ConsentRecordForm,
    ConsentWithdrawForm,
    OrganisationForm,
    PersonExportForm,
    PersonForm,
    organisation_filters_setup,
    person_filters_setup,
)
from creative_regions.community.models import Consent, Organisation, Person
from creative_regions.community.selectors import (
    ExclusionReason,
    affiliation_get_for_user,
    affiliation_list,
    affiliation_organisation,
    community_search,
    consent_get_for_user,
    consent_list,
    membership_list,
    organisation_get_for_user,
    organisation_list,
    organisation_register_facts,
    organisation_timeline,
    person_get_for_user,
    person_list,
    person_timeline,
    record_history,
)
from creative_regions.community.selectors_pages import (
    ORGANISATION_CHOICES_LIMIT,
    organisation_choice_list,
    organisation_deletion_effects,
    person_deletion_effects,
    person_export_preview,
    person_page_list,
)
from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.exports import XLSX_CONTENT_TYPE, xlsx_bytes
from creative_regions.core.htmx import HtmxPartialMixin
from creative_regions.core.permissions import RoleRequiredMixin

PAGE_SIZE = 50
# Interactions a record's page lists; the dialogue pages have them all.
TIMELINE_SIZE = 20
EXPORT_FORMATS = ("xlsx", "csv")
# Parameters of the pages that are not filters: left out of exports' logs.
NOT_FILTERS = ("page", "purpose", "file_format", "organisation_search")


# Shared pieces --------------------------------------------------------------------


class CommunityWriterMixin(LoginRequiredMixin):
    """Signed-in users whose role may change community records; an expert, who
    only reads, gets 403 before anything is looked up. A partner's regions are
    checked by the records' selectors (404) and the services."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not services.user_can_write(request.user):
                raise PermissionDenied(
                    _("Your role does not allow changing community records.")
                )
            self.load_record()
        return super().dispatch(request, *args, **kwargs)

    def load_record(self) -> None:
        """Looks up the record the view changes (404 when the user may not see
        it); views that create have none."""


@dataclass(frozen=True)
class SortableColumn:
    label: str
    url: str
    # The value of aria-sort: "ascending", "descending", or "" when unsorted.
    direction: str


def sortable_columns(
    request, specs: Sequence[tuple[str, str, tuple[str, ...]]]
) -> dict[str, SortableColumn]:
    """Links of the column headers: a click sorts by the column, a second click
    turns the order round where the list can (``specs`` gives each column's
    orders, the first one being where a click on an unsorted column leads)."""
    current = request.GET.get("sort", "")
    columns = {}
    for key, label, orders in specs:
        if current in orders:
            following = orders[(orders.index(current) + 1) % len(orders)]
            direction = "descending" if current.startswith("-") else "ascending"
        else:
            following, direction = orders[0], ""
        query = request.GET.copy()
        for name in ("page", "sort", "organisation_search"):
            query.pop(name, None)
        if following:
            query["sort"] = following
        columns[key] = SortableColumn(
            label=label, url=f"{request.path}?{query.urlencode()}", direction=direction
        )
    return columns


def filter_query(request, *, drop: Iterable[str] = NOT_FILTERS) -> str:
    """The request's query string without the parameters in ``drop``."""
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


def active_filters(filterset) -> list[tuple[str, str]]:
    """(label, value as the bar shows it) of every filter in use."""
    active = []
    for name, field in filterset.form.fields.items():
        value = filterset.data.get(name)
        if not value or name == "sort":
            continue
        choices = dict(getattr(field.widget, "choices", ()) or ())
        active.append((str(field.label), str(choices.get(value, value))))
    return active


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


def _is_partial(request) -> bool:
    """Whether an HTMX request wants the results alone. A history restore (Back
    after the browser dropped its copy of the page) wants the whole page."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


class ResultsPartialMixin(HtmxPartialMixin):
    """``HtmxPartialMixin`` that also serves the whole page to a history restore."""

    def get_template_names(self) -> list[str]:
        if _is_partial(self.request):
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_partial"] = _is_partial(self.request)
        return context


class RecordListView(LoginRequiredMixin, ResultsPartialMixin, TemplateView):
    """A filtered, searched, sorted and paged list; an HTMX request gets only the
    results, the page keeps the filter in its address."""

    filterset_class: type
    sorts: Sequence[tuple[str, str, tuple[str, ...]]] = ()

    def records(self):
        raise NotImplementedError

    def setup_filters(self, filterset) -> None:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = self.filterset_class(
            self.request.GET, queryset=self.records(), request=self.request
        )
        # The filter bar's choices cost queries that the results alone don't need.
        if not _is_partial(self.request):
            self.setup_filters(filterset)
        is_valid = filterset.is_valid()
        records = filterset.qs if is_valid else filterset.queryset.none()
        page = Paginator(records, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            filterset=filterset,
            filter_errors=[] if is_valid else list(filterset.form.errors.items()),
            page=page,
            query_string=filter_query(
                self.request, drop=("page", "organisation_search")
            ),
            columns=sortable_columns(self.request, self.sorts),
            current_sort=self.request.GET.get("sort", ""),
            can_edit=services.user_can_write(user),
            has_no_regions=user.is_partner and not user.regions.exists(),
        )
        return context


# Organisations --------------------------------------------------------------------

ORGANISATION_SORTS = (
    ("name", gettext_lazy("Name"), ("", "-name")),
    ("region", gettext_lazy("Region"), ("region",)),
    ("updated", gettext_lazy("Changed"), ("-updated",)),
)


class OrganisationListView(RecordListView):
    template_name = "community/organisation_list.html"
    partial_template_name = "community/partials/_organisation_results.html"
    filterset_class = OrganisationFilterSet
    sorts = ORGANISATION_SORTS

    def records(self):
        return organisation_list(user=self.request.user)

    def setup_filters(self, filterset) -> None:
        organisation_filters_setup(filterset, user=self.request.user)


def organisation_export_rows(organisations: Iterable[Organisation]):
    headers = [
        _("Full name"),
        _("Short name"),
        pgettext("community", "Kind"),
        _("INN"),
        _("OGRN or OGRNIP"),
        _("Region code"),
        _("Region"),
        _("City"),
        _("Address"),
        _("Website"),
        _("Telegram"),
        _("VK"),
        _("Creative sectors"),
        _("Tags"),
        _("Status"),
        _("Description"),
    ]
    rows = (
        [
            organisation.full_name,
            organisation.short_name,
            organisation.get_kind_display(),
            organisation.inn or "",
            organisation.ogrn,
            organisation.region.code,
            organisation.region.name,
            organisation.city,
            organisation.address,
            organisation.website,
            organisation.telegram,
            organisation.vk,
            ", ".join(sector.label for sector in organisation.sectors.all()),
            ", ".join(tag.name for tag in organisation.tags.all()),
            organisation.get_status_display(),
            organisation.description,
        ]
        for organisation in organisations
    )
    return headers, rows


class OrganisationExportView(LoginRequiredMixin, View):
    """The organisation list with the page's filter as XLSX or CSV. Organisations
    are not personal data, so the download is not logged."""

    def get(self, request, file_format: str):
        if file_format not in EXPORT_FORMATS:
            raise Http404("No such format.")
        filterset = OrganisationFilterSet(
            request.GET, queryset=organisation_list(user=request.user), request=request
        )
        if not filterset.is_valid():
            return _bad_filter_response(filterset)
        headers, rows = organisation_export_rows(filterset.qs)
        return table_response(
            filename=f"organisations.{file_format}",
            sheet_title=pgettext("community", "Organisations"),
            headers=headers,
            rows=rows,
            file_format=file_format,
        )


def _bad_filter_response(filterset) -> HttpResponse:
    fields = filterset.form.fields
    lines = [
        f"{fields[name].label if name in fields else name}: {' '.join(errors)}"
        for name, errors in filterset.form.errors.items()
    ]
    return HttpResponse(
        "\n".join(lines), status=400, content_type="text/plain; charset=utf-8"
    )


class OrganisationChoicesView(LoginRequiredMixin, TemplateView):
    """Options of the organisation pickers, matching what the user typed."""

    template_name = "community/partials/_organisation_options.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The picker sends its select box's value under the form's own name.
        selected_pk = _id(
            next(
                (
                    value
                    for name, value in self.request.GET.items()
                    if name.endswith("organisation")
                ),
                None,
            )
        )
        context.update(
            organisations=organisation_choice_list(
                user=self.request.user,
                text=self.request.GET.get("organisation_search", ""),
                selected=selected_pk,
            ),
            organisation_selected=selected_pk,
            is_filter=self.request.GET.get("empty") == "any",
            choices_limit=ORGANISATION_CHOICES_LIMIT,
        )
        return context


class OrganisationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "community/organisation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisation = organisation_get_for_user(user=user, pk=kwargs["pk"])
        today = timezone.localdate()
        register_error = None
        try:
            facts = organisation_register_facts(user=user, organisation=organisation)
        except ApplicationError as error:
            facts, register_error = None, error.message
        affiliations = list(affiliation_list(user=user, organisation=organisation))
        for affiliation in affiliations:
            affiliation.is_current = affiliation.is_current_on(today)
        timeline = organisation_timeline(user=user, organisation=organisation)
        context.update(
            organisation=organisation,
            register_facts=facts,
            register_error=register_error,
            affiliations=affiliations,
            current_count=sum(item.is_current for item in affiliations),
            memberships=membership_list(user=user, organisation=organisation),
            timeline=timeline[:TIMELINE_SIZE],
            timeline_count=timeline.count(),
            history=record_history(record=organisation, user=user),
            can_edit=services.user_can_write(user),
        )
        return context


class RecordFormView(CommunityWriterMixin, FormView):
    """Creates or changes a record through its service; the service's refusals
    are shown next to their fields."""

    record = None
    # The form's keyword argument that takes the record changed, if it needs it.
    record_form_argument: str | None = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.record_form_argument is not None:
            kwargs[self.record_form_argument] = self.record
        if self.record is not None and self.request.method == "GET":
            kwargs["initial"] = self.form_class.initial_for(self.record)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = self.record
        return context

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        try:
            record = self.save(form)
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(record))
        return redirect(self.success_url_for(record))

    def save(self, form):
        raise NotImplementedError

    def success_message(self, record) -> str:
        raise NotImplementedError

    def success_url_for(self, record) -> str:
        raise NotImplementedError


class OrganisationFormMixin:
    template_name = "community/organisation_form.html"
    form_class = OrganisationForm
    record_form_argument = "organisation"

    def success_url_for(self, record) -> str:
        return reverse("community:organisation-detail", args=[record.pk])


class OrganisationCreateView(OrganisationFormMixin, RecordFormView):
    def save(self, form):
        return services.organisation_create(
            user=self.request.user, **form.service_arguments()
        )

    def success_message(self, record) -> str:
        return _("The organisation “%(name)s” is recorded.") % {"name": record.name}


class OrganisationUpdateView(OrganisationFormMixin, RecordFormView):
    def load_record(self) -> None:
        self.record = organisation_get_for_user(
            user=self.request.user, pk=self.kwargs["pk"]
        )

    def save(self, form):
        return services.organisation_update(
            user=self.request.user,
            organisation=self.record,
            **form.service_arguments(),
        )

    def success_message(self, record) -> str:
        return _("The changes are saved.")


class RecordDeleteView(CommunityWriterMixin, TemplateView):
    """Asks before deleting a record and says what goes with it."""

    template_name = "community/record_confirm_delete.html"

    def get_record(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.describe(self.record))
        context["record"] = self.record
        return context

    def load_record(self) -> None:
        self.record = self.get_record()

    def post(self, request, *args, **kwargs):
        name = str(self.record)
        try:
            self.delete(self.record)
        except (ValidationError, ProtectedError) as error:
            message = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else _("Other records refer to it; remove them first.")
            )
            context = self.get_context_data(error=message)
            return self.render_to_response(context, status=400)
        messages.success(request, _("“%(name)s” is deleted.") % {"name": name})
        return redirect(self.list_url)


class OrganisationDeleteView(RecordDeleteView):
    list_url = "community:organisation-list"

    def get_record(self):
        return organisation_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def describe(self, record) -> dict:
        return {
            "kind_label": _("organisation"),
            "cancel_url": reverse("community:organisation-detail", args=[record.pk]),
            "effects": organisation_deletion_effects(organisation=record),
        }

    def delete(self, record) -> None:
        services.organisation_delete(user=self.request.user, organisation=record)


# People ---------------------------------------------------------------------------

PERSON_SORTS = (
    ("name", gettext_lazy("Person"), ("", "-surname")),
    ("region", gettext_lazy("Region"), ("region",)),
    ("created", gettext_lazy("Added"), ("-created",)),
)


class PersonListView(RecordListView):
    template_name = "community/person_list.html"
    partial_template_name = "community/partials/_person_results.html"
    filterset_class = PersonFilterSet
    sorts = PERSON_SORTS

    def records(self):
        return person_page_list(user=self.request.user)

    def setup_filters(self, filterset) -> None:
        person_filters_setup(filterset, user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_export"] = services.user_can_export_people(self.request.user)
        if not _is_partial(self.request):
            selected = _id(context["filterset"].data.get("organisation"))
            context["organisation_choices"] = organisation_choice_list(
                user=self.request.user, selected=selected
            )
            context["organisation_selected"] = selected
            context["choices_limit"] = ORGANISATION_CHOICES_LIMIT
        return context


def _id(value) -> int | None:
    """An id from a query or form, or ``None`` for anything else."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


class PersonExportView(RoleRequiredMixin, TemplateView):
    """A people export with the list's filter, for a purpose the user names: the
    page says who would be left out for want of consent and why; the download
    holds only people whose consent for the purpose is in force and is written
    to the personal-data log. Only the roles that may export people's personal
    data open it (an expert gets 403)."""

    template_name = "community/person_export.html"
    allowed_roles = services.PERSON_EXPORT_ROLES

    def get(self, request, *args, **kwargs):
        user = request.user
        filterset = PersonFilterSet(
            request.GET, queryset=person_list(user=user), request=request
        )
        person_filters_setup(filterset, user=user)
        form = PersonExportForm(request.GET if "purpose" in request.GET else None)
        context = self.get_context_data(
            filterset=filterset,
            form=form,
            filters=active_filters(filterset),
            list_query=filter_query(request),
            hidden_filters=[
                (name, value)
                for name, values in request.GET.lists()
                if name not in NOT_FILTERS
                for value in values
            ],
            reason_labels=ExclusionReason.choices,
            total=None,
        )
        if not filterset.is_valid():
            context["filter_errors"] = list(filterset.form.errors.items())
            return self.render_to_response(context, status=400)
        context["organisation_name"] = self._organisation_name(filterset)
        if not form.is_bound:
            context["total"] = filterset.qs.count()
            return self.render_to_response(context)
        if not form.is_valid():
            context["total"] = filterset.qs.count()
            return self.render_to_response(context, status=400)
        purpose = form.cleaned_data["purpose"]
        file_format = form.cleaned_data["file_format"]
        if file_format:
            return self.download(filterset, purpose=purpose, file_format=file_format)
        preview = person_export_preview(user=user, purpose=purpose, people=filterset.qs)
        context.update(
            preview=preview,
            total=preview.total,
            purpose_label=Consent.Purpose(purpose).label,
        )
        return self.render_to_response(context)

    def _organisation_name(self, filterset) -> str:
        value = filterset.form.cleaned_data.get("organisation")
        if value is None:
            return ""
        found = organisation_choice_list(user=self.request.user, selected=value)
        return next((item.name for item in found if item.pk == value), "")

    def download(self, filterset, *, purpose: str, file_format: str) -> HttpResponse:
        export = services.person_export(
            user=self.request.user,
            people=filterset.qs,
            purpose=purpose,
            query=filter_query(self.request),
            file_format=file_format,
        )
        response = table_response(
            filename=f"people-{purpose}.{file_format}",
            sheet_title=_("People"),
            headers=export.headers,
            rows=export.rows,
            file_format=file_format,
        )
        # A client that saves the file still learns how many were left out.
        response["X-Excluded-Count"] = str(export.excluded)
        return response


def person_page_context(request, person: Person, **overrides) -> dict:
    """What the person's page shows; ``overrides`` replaces the empty forms with
    bound ones whose errors the page shows."""
    user = request.user
    today = timezone.localdate()
    affiliations = list(affiliation_list(user=user, person=person))
    for affiliation in affiliations:
        affiliation.is_current = affiliation.is_current_on(today)
    consents = list(consent_list(user=user, person=person))
    for consent in consents:
        consent.is_valid = consent.is_valid_on(today)
    timeline = person_timeline(user=user, person=person)
    context = {
        "person": person,
        "affiliations": affiliations,
        "consents": consents,
        "memberships": membership_list(user=user, person=person),
        "timeline": timeline[:TIMELINE_SIZE],
        "timeline_count": timeline.count(),
        "history": record_history(record=person, user=user),
        "can_edit": services.user_can_write(user),
        "today": today,
        "consent_form": ConsentRecordForm(),
        "withdraw_form": ConsentWithdrawForm(),
        "affiliation_form": AffiliationAddForm(user=user),
        "end_form": AffiliationEndForm(),
        "failed_consent": None,
        "failed_affiliation": None,
    }
    context.update(overrides)
    selected = None
    if context["affiliation_form"].is_bound:
        selected = _id(context["affiliation_form"].data.get("affiliation-organisation"))
    context["organisation_choices"] = organisation_choice_list(
        user=user, selected=selected
    )
    context["organisation_selected"] = selected
    context["choices_limit"] = ORGANISATION_CHOICES_LIMIT
    return context


class PersonDetailView(LoginRequiredMixin, TemplateView):
    template_name = "community/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = person_get_for_user(user=self.request.user, pk=kwargs["pk"])
        context.update(person_page_context(self.request, person))
        return context


class PersonFormMixin:
    template_name = "community/person_form.html"
    form_class = PersonForm

    def success_url_for(self, record) -> str:
        return reverse("community:person-detail", args=[record.pk])


class PersonCreateView(PersonFormMixin, RecordFormView):
    def save(self, form):
        return services.person_create(
            user=self.request.user, **form.service_arguments()
        )

    def success_message(self, record) -> str:
        return _("%(name)s is recorded.") % {"name": record.full_name}


class PersonUpdateView(PersonFormMixin, RecordFormView):
    def load_record(self) -> None:
        self.record = person_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def save(self, form):
        return services.person_update(
            user=self.request.user, person=self.record, **form.service_arguments()
        )

    def success_message(self, record) -> str:
        return _("The changes are saved.")


class PersonDeleteView(RecordDeleteView):
    list_url = "community:person-list"

    def get_record(self):
        return person_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def describe(self, record) -> dict:
        return {
            "kind_label": _("person"),
            "cancel_url": reverse("community:person-detail", args=[record.pk]),
            "effects": person_deletion_effects(person=record),
        }

    def delete(self, record) -> None:
        services.person_delete(user=self.request.user, person=record)


class PersonActionView(CommunityWriterMixin, TemplateView):
    """A form of the person's page (a consent, an affiliation): done, it returns
    to the page; refused, the page comes back with the message by the field."""

    template_name = "community/person_detail.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.person = person_get_for_user(user=request.user, pk=kwargs["pk"])
        form = self.get_form()
        if form.is_valid():
            try:
                message = self.act(form)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, message)
                url = reverse("community:person-detail", args=[self.person.pk])
                return redirect(f"{url}#{self.anchor}")
        context = person_page_context(request, self.person, **self.failed(form))
        return self.render_to_response(context, status=400)


class ConsentRecordView(PersonActionView):
    anchor = "consents"

    def get_form(self):
        return ConsentRecordForm(self.request.POST)

    def act(self, form) -> str:
        consent = services.consent_record(
            user=self.request.user, person=self.person, **form.cleaned_data
        )
        return _("The consent for “%(purpose)s” is recorded.") % {
            "purpose": consent.get_purpose_display()
        }

    def failed(self, form) -> dict:
        return {"consent_form": form}


class ConsentWithdrawView(PersonActionView):
    anchor = "consents"

    def get_form(self):
        self.consent = consent_get_for_user(
            user=self.request.user, pk=self.kwargs["consent_pk"]
        )
        if self.consent.person_id != self.person.pk:
            raise Http404("No such consent.")
        return ConsentWithdrawForm(self.request.POST)

    def act(self, form) -> str:
        services.consent_withdraw(
            user=self.request.user,
            consent=self.consent,
            withdrawn_on=form.cleaned_data["withdrawn_on"],
        )
        return _("The consent for “%(purpose)s” is withdrawn.") % {
            "purpose": self.consent.get_purpose_display()
        }

    def failed(self, form) -> dict:
        return {"withdraw_form": form, "failed_consent": self.consent.pk}


class AffiliationAddView(PersonActionView):
    anchor = "affiliations"

    def get_form(self):
        return AffiliationAddForm(self.request.POST, user=self.request.user)

    def act(self, form) -> str:
        affiliation = services.affiliation_add(
            user=self.request.user, person=self.person, **form.cleaned_data
        )
        return _("The affiliation with “%(name)s” is recorded.") % {
            "name": affiliation.organisation.name
        }

    def failed(self, form) -> dict:
        return {"affiliation_form": form}


class AffiliationEndView(PersonActionView):
    anchor = "affiliations"

    def get_form(self):
        self.affiliation = affiliation_get_for_user(
            user=self.request.user, pk=self.kwargs["affiliation_pk"]
        )
        if self.affiliation.person_id != self.person.pk:
            raise Http404("No such affiliation.")
        return AffiliationEndForm(self.request.POST)

    def act(self, form) -> str:
        services.affiliation_end(
            user=self.request.user,
            affiliation=self.affiliation,
            ended_on=form.cleaned_data["ended_on"],
        )
        organisation = affiliation_organisation(self.affiliation)
        if organisation is None:
            return _(
                "The affiliation with an organisation from another region is ended."
            )
        return _("The affiliation with “%(name)s” is ended.") % {
            "name": organisation.name
        }

    def failed(self, form) -> dict:
        return {"end_form": form, "failed_affiliation": self.affiliation.pk}


# Search ---------------------------------------------------------------------------


class CommunitySearchView(LoginRequiredMixin, ResultsPartialMixin, TemplateView):
    """Organisations and people at once, best matches first, among those the user
    may see."""

    template_name = "community/search.html"
    partial_template_name = "community/partials/_search_results.html"
    limit = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "").replace("\x00", "")[:200]
        context.update(
            text=text,
            results=community_search(
                user=self.request.user, text=text, limit=self.limit
            ),
            limit=self.limit,
        )
        return context
