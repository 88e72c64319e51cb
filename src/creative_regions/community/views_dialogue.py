"""Pages of communities, interactions (the dialogue), follow-ups and the dialogue
with a region's authorities.

Views stay thin: reads come from the selectors (already scoped to the user, so
another region's record is a 404), writes go through the services, whose
messages are shown next to the fields they name. One URL serves a page and, to
an HTMX request, its fragment.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import TemplateView

from creative_regions.community import selectors, selectors_dialogue, services
from creative_regions.community.filters import CommunityFilterSet
from creative_regions.community.forms_dialogue import (
    FOLLOW_UP_PREFIX,
    AsOfForm,
    CommunityForm,
    FollowUpForm,
    FollowUpFormSet,
    FollowUpStatusForm,
    InteractionForm,
    InteractionPageFilterSet,
    MembershipAddForm,
    add_service_errors,
)
from creative_regions.community.models import (
    Community,
    CommunityMembership,
    Interaction,
    InteractionAttachment,
    Organisation,
    Person,
)
from creative_regions.core.exports import xlsx_response
from creative_regions.core.htmx import HtmxPartialMixin
from creative_regions.core.permissions import RoleRequiredMixin
from creative_regions.geo.selectors import region_get_for_user, region_list

PER_PAGE = 25
DIALOGUE_PER_PAGE = 20
FOLLOW_UPS_PER_PAGE = 50
TEMPLATE_DIR = "community/dialogue"


def _paginate(request: HttpRequest, queryset: QuerySet, per_page: int) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _is_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class WriterRequiredMixin(RoleRequiredMixin):
    """The roles that change community records; experts only read (403), and a
    partner's region is the services' and selectors' business."""

    allowed_roles = services.WRITER_ROLES


class ListPageMixin(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """A filtered, paginated list; the HTMX request for new filters gets only the
    results."""

    per_page = PER_PAGE

    def list_context(self, filterset) -> dict[str, Any]:
        page = _paginate(self.request, filterset.qs, self.per_page)
        return {
            "filterset": filterset,
            "page": page,
            "count": page.paginator.count,
            "query_string": _query_without_page(self.request),
            "can_write": services.user_can_write(self.request.user),
        }


# Communities --------------------------------------------------------------------------


class CommunityListView(ListPageMixin):
    """Communities with filters by region, sector and status, and a search."""

    template_name = f"{TEMPLATE_DIR}/community_list.html"
    partial_template_name = f"{TEMPLATE_DIR}/partials/_community_results.html"

    def get_region(self):
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        region = self.get_region()
        data = self.request.GET.copy()
        if region is not None:
            data["region"] = region.code
        filterset = CommunityFilterSet(
            data, queryset=selectors.community_list(user=user), request=self.request
        )
        context.update(self.list_context(filterset))
        context.update(
            region=region,
            regions=[] if region is not None else region_list(user=user),
            sectors=selectors.sector_choices(),
        )
        return context


class CommunityRegionView(CommunityListView):
    """The communities of one region, with links to the region's dialogue."""

    def get_region(self):
        return self.region

    @cached_property
    def region(self):
        return region_get_for_user(user=self.request.user, code=self.kwargs["code"])


class CommunityExportView(LoginRequiredMixin, View):
    """The filtered community list as XLSX."""

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = CommunityFilterSet(
            request.GET,
            queryset=selectors.community_list(user=request.user),
            request=request,
        )
        headers = [
            _("Name"),
            _("Regions"),
            _("Creative sectors"),
            _("Status"),
            _("Active members"),
            _("Created"),
        ]
        rows = (
            [
                community.name,
                ", ".join(region.name for region in community.regions.all()),
                ", ".join(sector.label for sector in community.sectors.all()),
                community.get_status_display(),
                community.active_member_count,
                timezone.localtime(community.created_at).date(),
            ]
            for community in filterset.qs
        )
        return xlsx_response(
            filename="communities.xlsx",
            sheet_title=_("Communities"),
            headers=headers,
            rows=rows,
        )


class CommunityDetailView(LoginRequiredMixin, TemplateView):
    """A community's facts, its members (present and past) and its history."""

    template_name = f"{TEMPLATE_DIR}/community_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        community = selectors.community_get_for_user(
            user=self.request.user, pk=kwargs["pk"]
        )
        context.update(
            history=selectors.record_history(record=community, user=self.request.user),
            **members_context(self.request, community),
        )
        return context


def members_context(
    request: HttpRequest, community: Community, form: MembershipAddForm | None = None
) -> dict[str, Any]:
    memberships = list(
        selectors.membership_list(user=request.user, community=community)
    )
    member = form.member_record if form is not None else None
    return {
        "community": community,
        "current_members": [
            membership
            for membership in memberships
            if membership.status != CommunityMembership.Status.LEFT
        ],
        "past_members": [
            membership
            for membership in memberships
            if membership.status == CommunityMembership.Status.LEFT
        ],
        "member_form": form or MembershipAddForm(user=request.user),
        "chosen_members": [member] if member is not None else [],
        "chosen_prefix": "person:" if isinstance(member, Person) else "organisation:",
        "can_write": services.user_can_write(request.user),
        "today": timezone.localdate(),
    }


class CommunityFormView(WriterRequiredMixin, TemplateView):
    """Creating and editing a community share a form; the services check the
    regions a partner may use and the coordinator they may see."""

    template_name = f"{TEMPLATE_DIR}/community_form.html"
    community: Community | None = None

    def get_initial(self) -> dict[str, Any]:
        user = self.request.user
        code = self.request.GET.get("region")
        regions = region_list(user=user)
        if code:
            return {"regions": list(regions.filter(code=code))}
        if user.is_partner and len(regions) == 1:
            return {"regions": list(regions)}
        return {}

    def get_form(self, data=None) -> CommunityForm:
        return CommunityForm(data, user=self.request.user, initial=self.get_initial())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                community = self.save(form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, self.success_message(community))
                return redirect("community:community-detail", pk=community.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["community"] = self.community
        context["coordinator"] = kwargs["form"].chosen("coordinator")
        return context

    def save(self, form: CommunityForm) -> Community:
        raise NotImplementedError

    def success_message(self, community: Community) -> str:
        raise NotImplementedError


class CommunityCreateView(CommunityFormView):
    def save(self, form: CommunityForm) -> Community:
        data = form.cleaned_data
        return services.community_create(
            user=self.request.user,
            name=data["name"],
            regions=data["regions"],
            description=data["description"],
            sectors=data["sectors"],
            coordinator=data["coordinator"],
            status=data["status"],
        )

    def success_message(self, community: Community) -> str:
        return _("Community “%(name)s” created.") % {"name": community.name}


class CommunityUpdateView(CommunityFormView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.community = selectors.community_get_for_user(
                user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        community = self.community
        return {
            "name": community.name,
            "description": community.description,
            "regions": list(community.regions.all()),
            "sectors": [sector.name for sector in community.sectors.all()],
            "coordinator": community.coordinator_id,
            "status": community.status,
        }

    def get_form(self, data=None) -> CommunityForm:
        return CommunityForm(
            data,
            user=self.request.user,
            initial=self.get_initial(),
            sectors=self.community.sectors.all(),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["other_regions"] = self.hidden_regions()
        # The selector leaves a coordinator the user may not see unset.
        community = self.community
        context["coordinator_hidden"] = (
            community.coordinator_id is not None and community.coordinator is None
        )
        return context

    def hidden_regions(self) -> list:
        """The community's regions the user does not see: a partner cannot
        remove them, so the form keeps them."""
        visible = set(region_list(user=self.request.user).values_list("pk", flat=True))
        return [
            region
            for region in self.community.regions.all()
            if region.pk not in visible
        ]

    def save(self, form: CommunityForm) -> Community:
        data = form.cleaned_data
        return services.community_update(
            user=self.request.user,
            community=self.community,
            name=data["name"],
            description=data["description"],
            regions=[*data["regions"], *self.hidden_regions()],
            sectors=data["sectors"],
            coordinator=data["coordinator"],
            status=data["status"],
        )

    def success_message(self, community: Community) -> str:
        return _("Community “%(name)s” saved.") % {"name": community.name}


MEMBER_ERROR_FIELDS = {
    "person": "member",
    "organisation": "member",
    "community": "member",
    "__all__": "member",
}


class MembershipAddView(WriterRequiredMixin, View):
    """Adds a person or an organisation; the HTMX request gets the members'
    section back, with the service's message at the member field if refused."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        community = selectors.community_get_for_user(user=request.user, pk=pk)
        form = MembershipAddForm(request.POST, user=request.user)
        added = None
        if form.is_valid():
            member = form.cleaned_data["member"]
            try:
                added = services.membership_add(
                    user=request.user,
                    community=community,
                    person=member if isinstance(member, Person) else None,
                    organisation=member if isinstance(member, Organisation) else None,
                    joined_on=form.cleaned_data["joined_on"],
                    status=form.cleaned_data["status"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                add_service_errors(form, error, MEMBER_ERROR_FIELDS)
        if added is not None:
            message = _("%(member)s joined the community.") % {"member": added.member}
            if not _is_fragment(request):
                messages.success(request, message)
                return redirect("community:community-detail", pk=community.pk)
            return _members_response(request, community, notice=message)
        if not _is_fragment(request):
            context = {
                "history": selectors.record_history(
                    record=community, user=request.user
                ),
                **members_context(request, community, form),
            }
            return render(
                request, f"{TEMPLATE_DIR}/community_detail.html", context, status=400
            )
        return _members_response(request, community, form=form)


class MembershipRemoveView(WriterRequiredMixin, View):
    """Records that a member left today; they stay on the list of past members."""

    def post(self, request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
        community = selectors.community_get_for_user(user=request.user, pk=pk)
        membership = selectors.membership_get_for_user(
            user=request.user, pk=membership_pk
        )
        if membership.community_id != community.pk:
            raise Http404("No such membership.")
        notice = error_message = None
        try:
            services.membership_remove(user=request.user, membership=membership)
        except ValidationError as error:
            error_message = " ".join(error.messages)
        else:
            notice = _("%(member)s left the community.") % {"member": membership.member}
        if not _is_fragment(request):
            if error_message:
                messages.error(request, error_message)
            else:
                messages.success(request, notice)
            return redirect("community:community-detail", pk=community.pk)
        return _members_response(
            request, community, notice=notice, error_message=error_message
        )


def _members_response(
    request: HttpRequest,
    community: Community,
    form: MembershipAddForm | None = None,
    notice: str | None = None,
    error_message: str | None = None,
) -> HttpResponse:
    context = members_context(request, community, form)
    context.update(notice=notice, error_message=error_message)
    return render(request, f"{TEMPLATE_DIR}/partials/_members.html", context)


# Pickers ------------------------------------------------------------------------------


class RecordPickerView(LoginRequiredMixin, View):
    """Matches for a picker of people or organisations (or either, for a
    community's member), among those the user sees; chosen ones are left out."""

    KINDS = ("person", "organisation", "member")

    def get(self, request: HttpRequest) -> HttpResponse:
        kind = request.GET.get("kind", "")
        field = request.GET.get("field", "")
        if kind not in self.KINDS or not field.isidentifier():
            raise Http404("No such picker.")
        text = request.GET.get("picker_q", "").replace("\x00", "")[:200]
        region = None
        region_id = request.GET.get("region", "")
        if region_id.isdigit():
            region = region_list(user=request.user).filter(pk=int(region_id)).first()
        chosen = [int(value) for value in request.GET.getlist(field) if value.isdigit()]
        groups = []
        if text.strip():
            for group_kind in ("person", "organisation"):
                if kind not in (group_kind, "member"):
                    continue
                records = selectors_dialogue.participant_search(
                    user=request.user,
                    kind=group_kind,
                    text=text,
                    region=region,
                    exclude=chosen,
                )
                groups.append(
                    {
                        "kind": group_kind,
                        "records": records,
                        "prefix": f"{group_kind}:" if kind == "member" else "",
                    }
                )
        response = render(
            request,
            f"{TEMPLATE_DIR}/partials/_picker_results.html",
            {
                "groups": groups,
                "field": field,
                "multiple": request.GET.get("multiple") == "1",
                "text": text,
            },
        )
        patch_vary_headers(response, ("HX-Request",))
        return response


# Interactions -------------------------------------------------------------------------


class InteractionListView(ListPageMixin):
    """The dialogue: interactions with filters by region, kind, dates,
    participant and open follow-ups."""

    template_name = f"{TEMPLATE_DIR}/interaction_list.html"
    partial_template_name = f"{TEMPLATE_DIR}/partials/_interaction_results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = InteractionPageFilterSet(
            self.request.GET,
            queryset=selectors.interaction_list(user=user),
            request=self.request,
        )
        context.update(self.list_context(filterset))
        context.update(
            regions=region_list(user=user),
            chosen_organisation=self._chosen(filterset, "organisation", Organisation),
            chosen_person=self._chosen(filterset, "person", Person),
            today=timezone.localdate(),
        )
        return context

    def _chosen(self, filterset, name: str, model) -> Any:
        """The participant the list is filtered by, to name it in the filter bar."""
        if not filterset.form.is_valid():
            return None
        pk = filterset.form.cleaned_data.get(name)
        if pk is None:
            return None
        return model.objects.visible_to(self.request.user).filter(pk=pk).first()


class InteractionExportView(LoginRequiredMixin, View):
    """The filtered interactions as XLSX: what happened and what was decided;
    the names of the people who took part stay out of the file."""

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = InteractionPageFilterSet(
            request.GET,
            queryset=selectors.interaction_list(user=request.user),
            request=request,
        )
        headers = [
            _("Date"),
            pgettext("community", "Kind"),
            _("Region"),
            _("Topic"),
            pgettext("community", "Organisations"),
            _("Decisions"),
            _("Open follow-ups"),
        ]
        rows = (
            [
                interaction.occurred_on,
                interaction.get_kind_display(),
                interaction.region.name,
                interaction.topic,
                ", ".join(str(item) for item in interaction.organisations.all()),
                interaction.decisions,
                sum(1 for item in interaction.follow_ups.all() if item.is_open),
            ]
            for interaction in filterset.qs
        )
        return xlsx_response(
            filename="interactions.xlsx",
            sheet_title=_("Interactions"),
            headers=headers,
            rows=rows,
        )


class InteractionDetailView(LoginRequiredMixin, TemplateView):
    """An interaction: who took part, what was discussed and decided, its files,
    its follow-ups (status changed in place) and its history."""

    template_name = f"{TEMPLATE_DIR}/interaction_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        interaction = selectors.interaction_get_for_user(user=user, pk=kwargs["pk"])
        context.update(
            interaction=interaction,
            history=selectors.record_history(record=interaction, user=user),
            can_write=services.user_can_write(user),
            today=timezone.localdate(),
        )
        return context


class AttachmentDownloadView(LoginRequiredMixin, View):
    """A file of an interaction the user may see, under its original name."""

    def get(self, request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
        interaction = selectors.interaction_get_for_user(user=request.user, pk=pk)
        attachment = selectors.attachment_get_for_user(
            user=request.user, pk=attachment_pk, interaction=interaction
        )
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404("The file is missing from the storage.") from error
        return FileResponse(handle, as_attachment=True, filename=attachment.name)


class FollowUpErrors(Exception):
    """Raised inside the transaction so that nothing of a refused form is kept."""


class InteractionFormView(WriterRequiredMixin, View):
    """Recording and editing an interaction: its fields, participants, files and
    follow-ups in one form, saved in one transaction."""

    template_name = f"{TEMPLATE_DIR}/interaction_form.html"
    interaction: Interaction | None = None

    def initial(self) -> dict[str, Any]:
        return {}

    def follow_up_initial(self) -> list[dict[str, Any]]:
        return []

    def forms(self, data=None, files=None) -> tuple[InteractionForm, Any]:
        form = InteractionForm(
            data, files, user=self.request.user, initial=self.initial()
        )
        initial = self.follow_up_initial()
        formset = FollowUpFormSet(
            data,
            prefix=FOLLOW_UP_PREFIX,
            initial=initial or None,
            form_kwargs={
                "region": form.selected_region(),
                "default_owner": self.request.user,
            },
        )
        return form, formset

    def render_form(self, form, formset, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "formset": formset,
            "interaction": self.interaction,
            "people": form.chosen("people"),
            "organisations": form.chosen("organisations"),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(*self.forms())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form, formset = self.forms(request.POST, request.FILES)
        if form.is_valid() and formset.is_valid():
            stored: list[str] = []
            try:
                with transaction.atomic():
                    interaction = self.save(form, formset)
                    self.attach(form, interaction, stored)
            except (ValidationError, FollowUpErrors):
                # The rows are rolled back; the files saved before are not.
                storage = InteractionAttachment._meta.get_field("file").storage
                for name in stored:
                    storage.delete(name)
            else:
                messages.success(request, self.success_message(interaction))
                return redirect("community:interaction-detail", pk=interaction.pk)
        return self.render_form(form, formset, status=400)

    def attach(self, form: InteractionForm, interaction, stored: list[str]) -> None:
        for upload in form.cleaned_data["attachments"]:
            try:
                attachment = services.attachment_add(
                    user=self.request.user, interaction=interaction, file=upload
                )
            except ValidationError as error:
                form.add_error(
                    "attachments",
                    [f"{upload.name}: {message}" for message in error.messages],
                )
                raise
            stored.append(attachment.file.name)

    @staticmethod
    def filled(formset) -> list[tuple[int, FollowUpForm]]:
        """The follow-up forms to save: recorded ones and new ones filled in."""
        return [
            (index, follow_up_form)
            for index, follow_up_form in enumerate(formset.forms)
            if follow_up_form.is_recorded or follow_up_form.has_changed()
        ]

    def save(self, form: InteractionForm, formset) -> Interaction:
        raise NotImplementedError

    def success_message(self, interaction: Interaction) -> str:
        raise NotImplementedError

    def interaction_fields(self, form: InteractionForm) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            name: data[name]
            for name in (
                "kind",
                "occurred_on",
                "region",
                "topic",
                "summary",
                "decisions",
                "people",
                "organisations",
                "staff",
            )
        }


class InteractionCreateView(InteractionFormView):
    def initial(self) -> dict[str, Any]:
        user = self.request.user
        regions = region_list(user=user)
        initial: dict[str, Any] = {
            "occurred_on": timezone.localdate(),
            "staff": [] if user.is_partner else [user.pk],
        }
        code = self.request.GET.get("region")
        region = regions.filter(code=code).first() if code else None
        if region is None and user.is_partner and len(regions) == 1:
            region = regions[0]
        if region is not None:
            initial["region"] = region.pk
        # An organisation's or a person's page links here with them as a
        # participant already.
        for parameter, field in (
            ("organisation", "organisations"),
            ("person", "people"),
        ):
            pk = self.request.GET.get(parameter, "")
            if pk.isdigit():
                initial[field] = [int(pk)]
        return initial

    def save(self, form: InteractionForm, formset) -> Interaction:
        filled = self.filled(formset)
        follow_ups = [
            services.FollowUpInput(
                description=follow_up_form.cleaned_data["description"],
                owner=follow_up_form.cleaned_data["owner"],
                due_on=follow_up_form.cleaned_data["due_on"],
            )
            for _index, follow_up_form in filled
        ]
        try:
            return services.interaction_record(
                user=self.request.user,
                **self.interaction_fields(form),
                follow_ups=follow_ups,
            )
        except ValidationError as error:
            place_interaction_errors(form, formset, filled, error)
            raise

    def success_message(self, interaction: Interaction) -> str:
        return _("Interaction “%(topic)s” recorded.") % {"topic": interaction.topic}


def place_interaction_errors(
    form: InteractionForm,
    formset,
    filled: list[tuple[int, FollowUpForm]],
    error: ValidationError,
) -> None:
    """The service names a follow-up's field ``follow_ups.<n>.<field>`` by its
    place among those sent; the message goes to that form of the formset."""
    general: dict[str, list[str]] = {}
    for key, texts in error.message_dict.items():
        prefix, _dot, rest = key.partition(".")
        if prefix == "follow_ups" and rest:
            number, _dot, name = rest.partition(".")
            if number.isdigit() and int(number) < len(filled):
                follow_up_form = filled[int(number)][1]
                follow_up_form.add_error(
                    name if name in follow_up_form.fields else None, texts
                )
                continue
        general[key] = texts
    if general:
        add_service_errors(form, ValidationError(general))


class InteractionUpdateView(InteractionFormView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.interaction = selectors.interaction_get_for_user(
                user=request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def initial(self) -> dict[str, Any]:
        interaction = self.interaction
        return {
            "kind": interaction.kind,
            "occurred_on": interaction.occurred_on,
            "region": interaction.region_id,
            "topic": interaction.topic,
            "summary": interaction.summary,
            "decisions": interaction.decisions,
            "people": [person.pk for person in interaction.people.all()],
            "organisations": [item.pk for item in interaction.organisations.all()],
            "staff": [member.pk for member in interaction.staff.all()],
        }

    def follow_up_initial(self) -> list[dict[str, Any]]:
        return [
            {
                "id": follow_up.pk,
                "description": follow_up.description,
                "owner": follow_up.owner_id,
                "due_on": follow_up.due_on,
                "status": follow_up.status,
            }
            for follow_up in self.interaction.follow_ups.all()
        ]

    def save(self, form: InteractionForm, formset) -> Interaction:
        user = self.request.user
        interaction = self.interaction
        try:
            services.interaction_update(
                user=user, interaction=interaction, **self.interaction_fields(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
            raise
        recorded = {item.pk: item for item in interaction.follow_ups.all()}
        failed = False
        for _index, follow_up_form in self.filled(formset):
            data = follow_up_form.cleaned_data
            try:
                if follow_up_form.is_recorded:
                    follow_up = recorded.get(data["id"])
                    if follow_up is None:
                        follow_up_form.add_error(
                            None, _("This follow-up no longer exists.")
                        )
                        failed = True
                        continue
                    if follow_up_form.has_changed():
                        services.follow_up_update(
                            user=user,
                            follow_up=follow_up,
                            description=data["description"],
                            owner=data["owner"],
                            due_on=data["due_on"],
                            status=data.get("status") or follow_up.status,
                        )
                else:
                    services.follow_up_add(
                        user=user,
                        interaction=interaction,
                        description=data["description"],
                        owner=data["owner"],
                        due_on=data["due_on"],
                    )
            except ValidationError as error:
                add_service_errors(follow_up_form, error)
                failed = True
        if failed:
            raise FollowUpErrors
        return interaction

    def success_message(self, interaction: Interaction) -> str:
        return _("Interaction “%(topic)s” saved.") % {"topic": interaction.topic}


class FollowUpFormRowView(WriterRequiredMixin, View):
    """One more empty follow-up in the interaction's form; the formset's count
    is updated out of band."""

    def get(self, request: HttpRequest) -> HttpResponse:
        total = request.GET.get(f"{FOLLOW_UP_PREFIX}-TOTAL_FORMS", "")
        index = int(total) if total.isdigit() else 0
        # The formset refuses more than its maximum anyway; this keeps the
        # count from growing without end.
        index = min(index, 999)
        region = None
        region_id = request.GET.get("region", "")
        if region_id.isdigit():
            region = region_list(user=request.user).filter(pk=int(region_id)).first()
        follow_up_form = FollowUpForm(
            prefix=f"{FOLLOW_UP_PREFIX}-{index}",
            region=region,
            default_owner=request.user,
        )
        return render(
            request,
            f"{TEMPLATE_DIR}/partials/_follow_up_form_row.html",
            {
                "follow_up_form": follow_up_form,
                "total": index + 1,
                "prefix": FOLLOW_UP_PREFIX,
                "out_of_band": True,
            },
        )


# Follow-ups ---------------------------------------------------------------------------


class MyFollowUpListView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """The signed-in user's follow-ups, 50 a page: the overdue first and
    highlighted, then the rest by due date; done or reopened in place. The
    header counts come from the database, not from the rows shown; the HTMX
    request for another page gets the list alone."""

    template_name = f"{TEMPLATE_DIR}/follow_up_mine.html"
    partial_template_name = f"{TEMPLATE_DIR}/partials/_follow_up_mine_results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        as_of = AsOfForm(self.request.GET or None)
        today = as_of.day(timezone.localdate())
        include_closed = self.request.GET.get("closed") == "1"
        counts = selectors_dialogue.follow_up_counts_for_owner(
            user=user, include_closed=include_closed, today=today
        )
        paginator = Paginator(
            selectors.follow_up_list_for_owner(
                user=user, include_closed=include_closed, today=today
            ),
            FOLLOW_UPS_PER_PAGE,
        )
        # The counts have the list's length already; the paginator would count
        # it again.
        paginator.count = counts.total
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            as_of=as_of,
            today=today,
            is_today=today == timezone.localdate(),
            page=page,
            follow_ups=list(page.object_list),
            open_count=counts.open,
            overdue_count=counts.overdue,
            query_string=_query_without_page(self.request),
            include_closed=include_closed,
            can_write=services.user_can_write(user),
            row_context="mine",
        )
        return context


ROW_CONTEXTS = ("mine", "interaction", "dialogue")


class FollowUpStatusView(WriterRequiredMixin, View):
    """Marks a follow-up done, cancelled or open again; the HTMX request gets its
    row back as the page shows it (and, on "my follow-ups", the header's counts)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        follow_up = selectors.follow_up_get_for_user(user=request.user, pk=pk)
        form = FollowUpStatusForm(request.POST)
        error_message = None
        if form.is_valid():
            try:
                follow_up = services.follow_up_set_status(
                    user=request.user,
                    follow_up=follow_up,
                    status=form.cleaned_data["status"],
                )
            except ValidationError as error:
                error_message = " ".join(error.messages)
        else:
            error_message = _("Choose open, done or cancelled.")
        as_of = AsOfForm(request.POST)
        today = as_of.day(timezone.localdate())
        if not _is_fragment(request):
            if error_message:
                messages.error(request, error_message)
            return redirect(_safe_next(request, reverse("community:follow-up-mine")))
        row_context = request.POST.get("row_context")
        if row_context not in ROW_CONTEXTS:
            row_context = "mine"
        fresh = selectors.follow_up_list(user=request.user, today=today).get(
            pk=follow_up.pk
        )
        response = render(
            request,
            f"{TEMPLATE_DIR}/partials/_follow_up_row.html",
            {
                "follow_up": fresh,
                "today": today,
                "can_write": True,
                "row_context": row_context,
                "error_message": error_message,
                "next": _safe_next(request, ""),
            },
        )
        if row_context == "mine":
            # The header of "my follow-ups" counts again, out of band.
            counts = selectors_dialogue.follow_up_counts_for_owner(
                user=request.user, today=today
            )
            response.write(
                render_to_string(
                    f"{TEMPLATE_DIR}/partials/_follow_up_mine_summary.html",
                    {
                        "open_count": counts.open,
                        "overdue_count": counts.overdue,
                        "today": today,
                        "is_today": today == timezone.localdate(),
                        "is_oob": True,
                    },
                    request=request,
                )
            )
        return response


# The dialogue with the authorities ----------------------------------------------------


class DialogueListView(LoginRequiredMixin, TemplateView):
    """Regions where the agency talks to the authorities, most recent first."""

    template_name = f"{TEMPLATE_DIR}/dialogue_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The region picker of the page is a plain GET form.
        code = request.GET.get("region", "")
        if code:
            region = region_get_for_user(user=request.user, code=code)
            return redirect("community:dialogue-region", code=region.code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            dialogue_regions=list(selectors_dialogue.dialogue_region_list(user=user)),
            regions=region_list(user=user),
        )
        return context


class DialogueRegionView(LoginRequiredMixin, TemplateView):
    """What a manager reads before meeting a region's minister: the authorities
    and whom to ask for there, the open follow-ups (overdue as of the meeting
    first), the decisions, and every contact newest first."""

    template_name = f"{TEMPLATE_DIR}/dialogue_region.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        region = region_get_for_user(user=user, code=kwargs["code"])
        as_of = AsOfForm(self.request.GET or None)
        today = as_of.day(timezone.localdate())
        dialogue = selectors.authority_dialogue(user=user, region=region, today=today)
        follow_ups = list(dialogue.open_follow_ups.select_related("interaction"))
        page = _paginate(self.request, dialogue.interactions, DIALOGUE_PER_PAGE)
        context.update(
            region=region,
            as_of=as_of,
            today=today,
            is_today=today == timezone.localdate(),
            authorities=list(
                selectors_dialogue.authority_organisation_list(
                    user=user, region=region, today=today
                )
            ),
            follow_ups=follow_ups,
            overdue_count=sum(1 for item in follow_ups if item.overdue),
            last_contact=dialogue.interactions.aggregate(last=Max("occurred_on"))[
                "last"
            ],
            decisions=list(dialogue.decisions[:DIALOGUE_PER_PAGE]),
            page=page,
            count=page.paginator.count,
            query_string=_query_without_page(self.request),
            can_write=services.user_can_write(user),
            row_context="dialogue",
        )
        return context
