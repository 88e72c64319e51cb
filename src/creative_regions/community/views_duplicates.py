"""Pages of likely duplicates and of the merge of two records.

Everyone signed in sees the duplicates among the records they may see; the
writer roles merge them (a partner within their regions, as the merge service
checks).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView

from creative_regions.community import selectors, services
from creative_regions.community.duplicates import (
    organisation_duplicate_groups,
    organisation_merge,
    person_duplicate_groups,
    person_merge,
    record_relation_counts,
)
from creative_regions.community.forms_duplicates import RecordMergeForm
from creative_regions.core.htmx import HtmxPartialMixin
from creative_regions.core.permissions import RoleRequiredMixin

TEMPLATES = "community/duplicates"
GROUPS_PER_PAGE = 20
ORGANISATIONS, PEOPLE = "organisations", "people"
KIND_LABELS = {
    ORGANISATIONS: pgettext_lazy("community", "Organisations"),
    PEOPLE: gettext_lazy("People"),
}


class DuplicateListView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """Groups of records that are likely one, with why, organisations or people
    (``?kind=``); the HTMX request for another page gets the groups alone."""

    template_name = f"{TEMPLATES}/list.html"
    partial_template_name = f"{TEMPLATES}/partials/_groups.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind", ORGANISATIONS)
        if kind not in KIND_LABELS:
            kind = ORGANISATIONS
        user = self.request.user
        if kind == ORGANISATIONS:
            groups = organisation_duplicate_groups(user=user)
        else:
            groups = person_duplicate_groups(user=user)
        page = Paginator(groups, GROUPS_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            kind=kind,
            kinds=[(value, label) for value, label in KIND_LABELS.items()],
            page=page,
            count=len(groups),
            query_string=f"kind={kind}",
            can_merge=services.user_can_write(user),
            merge_url_name=(
                "community:organisation-merge"
                if kind == ORGANISATIONS
                else "community:person-merge"
            ),
            detail_url_name=(
                "community:organisation-detail"
                if kind == ORGANISATIONS
                else "community:person-detail"
            ),
        )
        return context


class RecordMergeView(RoleRequiredMixin, TemplateView):
    """Compares two records (``?a=`` and ``?b=``) field by field and merges
    them as chosen."""

    allowed_roles = services.WRITER_ROLES
    template_name = f"{TEMPLATES}/merge.html"
    kind: str
    fields: tuple[str, ...]

    def get_record(self, pk):
        raise NotImplementedError

    def merge(self, **kwargs):
        raise NotImplementedError

    @cached_property
    def records(self):
        first = self.get_record(self.request.GET.get("a"))
        second = self.get_record(self.request.GET.get("b"))
        return first, second

    def get_form(self, data=None) -> RecordMergeForm:
        first, second = self.records
        return RecordMergeForm(
            data=data, first=first, second=second, fields=self.fields
        )

    def get(self, request, *args, **kwargs):
        if self.records[0].pk == self.records[1].pk:
            return HttpResponseBadRequest(_("Choose two different records."))
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first, second = self.records
        context.update(
            kind=self.kind,
            kind_label=KIND_LABELS[self.kind],
            first=first,
            second=second,
            relations=list(
                zip(
                    record_relation_counts(first),
                    record_relation_counts(second),
                    strict=True,
                )
            ),
            list_url=f"{reverse('community:duplicate-list')}?kind={self.kind}",
            detail_url_name=(
                "community:organisation-detail"
                if self.kind == ORGANISATIONS
                else "community:person-detail"
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form(data=request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        survivor, other = form.survivor_and_other()
        try:
            outcome = self.merge(
                user=request.user,
                survivor=survivor,
                other=other,
                fields_from_other=form.fields_from_other(),
            )
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                name = f"keep_{field}"
                for text in texts:
                    form.add_error(name if name in form.fields else None, text)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        moved = sum(outcome.moved.values())
        messages.success(
            request,
            _(
                "Merged № %(merged)s into № %(survivor)s “%(name)s”; related "
                "records moved: %(moved)s."
            )
            % {
                "merged": outcome.merged_id,
                "survivor": outcome.survivor.pk,
                "name": outcome.survivor,
                "moved": moved,
            },
        )
        return redirect(f"{reverse('community:duplicate-list')}?kind={self.kind}")


class OrganisationMergeView(RecordMergeView):
    kind = ORGANISATIONS
    fields = services.ORGANISATION_FIELDS

    def get_record(self, pk):
        return selectors.organisation_get_for_user(user=self.request.user, pk=pk)

    def merge(self, **kwargs):
        return organisation_merge(**kwargs)


class PersonMergeView(RecordMergeView):
    kind = PEOPLE
    fields = services.PERSON_FIELDS

    def get_record(self, pk):
        return selectors.person_get_for_user(user=self.request.user, pk=pk)

    def merge(self, **kwargs):
        return person_merge(**kwargs)
