from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.exports import xlsx_response
from creative_regions.core.htmx import HtmxPartialMixin
from creative_regions.core.models import User
from creative_regions.core.permissions import RoleRequiredMixin
from creative_regions.research.filters import ClassificationEntryFilterSet
from creative_regions.research.forms import ClassificationImportForm, CodeMatchForm
from creative_regions.research.selectors import (
    classification_entry_list,
    classification_get,
    classification_list,
    classification_match,
    classification_version_get,
    classification_version_list,
)
from creative_regions.research.services import (
    ClassificationImportError,
    classification_version_activate,
    classification_version_import,
)

CLASSIFICATION_EDITORS = (User.Role.ANALYST,)


class ClassificationListView(LoginRequiredMixin, TemplateView):
    template_name = "research/classification_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["classifications"] = classification_list().annotate(
            version_count=Count("versions")
        )
        return context


class ClassificationDetailView(LoginRequiredMixin, HtmxPartialMixin, TemplateView):
    """A classification's codes by sector, in the active or a chosen version."""

    template_name = "research/classification_detail.html"
    partial_template_name = "research/partials/_entry_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        classification = classification_get(key=kwargs["key"])
        version = classification_version_get(
            classification=classification, version_id=self.request.GET.get("version")
        )
        entries = classification_entry_list(version=version)
        filterset = ClassificationEntryFilterSet(self.request.GET, queryset=entries)
        context.update(
            classification=classification,
            version=version,
            versions=classification_version_list(classification=classification),
            filterset=filterset,
            entries=filterset.qs,
            sectors=entries.values("sector", "sector_en")
            .annotate(count=Count("pk"))
            .order_by("-count", "sector"),
            can_edit=self.request.user.has_role(*CLASSIFICATION_EDITORS),
            match_form=CodeMatchForm(),
            query_string=self.request.GET.urlencode(),
        )
        return context


class ClassificationExportView(LoginRequiredMixin, View):
    def get(self, request, key):
        classification = classification_get(key=key)
        version = classification_version_get(
            classification=classification, version_id=request.GET.get("version")
        )
        filterset = ClassificationEntryFilterSet(
            request.GET, queryset=classification_entry_list(version=version)
        )
        headers = [
            _("Code"),
            _("Activity"),
            _("Sector"),
            _("Sector in English"),
            _("Confidence"),
            _("Source"),
        ]
        rows = (
            [
                entry.code,
                entry.name,
                entry.sector,
                entry.sector_en,
                entry.get_confidence_display(),
                entry.source,
            ]
            for entry in filterset.qs
        )
        label = version.label if version else "empty"
        return xlsx_response(
            filename=f"{classification.key}-{label}.xlsx",
            sheet_title=classification.key,
            headers=headers,
            rows=rows,
        )


class ClassificationImportView(RoleRequiredMixin, FormView):
    """Upload of a replacement version; a bad file shows every error by row and
    column and changes nothing."""

    allowed_roles = CLASSIFICATION_EDITORS
    template_name = "research/classification_import.html"
    form_class = ClassificationImportForm

    @cached_property
    def classification(self):
        return classification_get(key=self.kwargs["key"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["classification"] = self.classification
        return context

    def form_invalid(self, form, row_errors=None):
        context = self.get_context_data(form=form, row_errors=row_errors or [])
        return self.render_to_response(context, status=400)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            outcome = classification_version_import(
                classification=self.classification,
                content=upload.read(),
                file_name=upload.name,
                label=form.cleaned_data["label"],
                is_provisional=form.cleaned_data["is_provisional"],
                source=form.cleaned_data["source"],
                activate=form.cleaned_data["activate"],
                user=self.request.user,
            )
        except ClassificationImportError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form, row_errors=error.errors)
        except ApplicationError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        version = outcome.version
        if outcome.is_new:
            messages.success(
                self.request,
                _("Version “%(label)s” imported: %(count)s codes.")
                % {"label": version.label, "count": version.entry_count},
            )
        else:
            messages.info(
                self.request,
                _("This file was already imported as version “%(label)s”; nothing new.")
                % {"label": version.label},
            )
        return redirect(
            f"{self.classification.get_absolute_url()}?version={version.pk}"
        )


class ClassificationVersionActivateView(RoleRequiredMixin, View):
    allowed_roles = CLASSIFICATION_EDITORS

    def post(self, request, key, version_id):
        classification = classification_get(key=key)
        version = classification_version_get(
            classification=classification, version_id=version_id
        )
        classification_version_activate(version=version, user=request.user)
        messages.success(
            request,
            _("Version “%(label)s” is now active.") % {"label": version.label},
        )
        return redirect(classification.get_absolute_url())


class ClassificationMatchView(LoginRequiredMixin, TemplateView):
    """Which sector an activity code falls in, by the version on the page."""

    template_name = "research/partials/_match_result.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        classification = classification_get(key=kwargs["key"])
        form = CodeMatchForm(self.request.GET)
        match = None
        if form.is_valid():
            version = classification_version_get(
                classification=classification,
                version_id=form.cleaned_data["version"],
            )
            match = classification_match(
                version=version, code=form.cleaned_data["code"]
            )
        context.update(form=form, match=match, classification=classification)
        return context
