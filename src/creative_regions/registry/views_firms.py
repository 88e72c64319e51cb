"""A firm's history in the register, snapshot by snapshot."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from creative_regions.core.exceptions import ApplicationError
from creative_regions.geo.models import Region
from creative_regions.registry.selectors import FirmSnapshot, firm_history_list
from creative_regions.registry.services import registry_store


class FirmHistoryView(LoginRequiredMixin, TemplateView):
    """Every snapshot's record of one INN: name, kind, category, region, main
    activity, employees, date of inclusion. A malformed INN gets a page that
    says what an INN looks like; a firm the user may not see is a 404, like a
    firm that is not in the register."""

    template_name = "registry/firm_history.html"

    def get(self, request, *args, **kwargs):
        inn = kwargs["inn"]
        store = registry_store()
        try:
            history = firm_history_list(user=request.user, inn=inn, store=store)
        except ApplicationError as error:
            context = self.get_context_data(inn=inn, error=error.message, rows=[])
            return self.render_to_response(context, status=404)
        if not history:
            raise Http404("No such firm in the register.")
        regions = {
            region.code: region
            for region in Region.objects.filter(
                code__in={record.region_code for record in history}
            )
        }
        by_snapshot = {record.snapshot: record for record in history}
        rows = []
        previous = None
        # Every snapshot of the store, so the years a firm was not in the
        # register show as gaps rather than disappearing.
        for snapshot in sorted(set(store.published_snapshots()) | set(by_snapshot)):
            record = by_snapshot.get(snapshot)
            rows.append(
                {
                    "snapshot": snapshot,
                    "record": record,
                    "region": regions.get(record.region_code) if record else None,
                    "employees_change": _change(previous, record),
                    "changed": _changed_fields(previous, record),
                }
            )
            previous = record or previous
        latest = history[-1]
        context = self.get_context_data(
            inn=inn,
            error=None,
            rows=rows,
            records=len(history),
            latest=latest,
            latest_region=regions.get(latest.region_code),
        )
        return self.render_to_response(context)


def _change(previous: FirmSnapshot | None, record: FirmSnapshot | None) -> int | None:
    if previous is None or record is None:
        return None
    if previous.employees is None or record.employees is None:
        return None
    return record.employees - previous.employees


def _changed_fields(
    previous: FirmSnapshot | None, record: FirmSnapshot | None
) -> set[str]:
    if previous is None or record is None:
        return set()
    return {
        name
        for name in ("name", "kind", "category", "region_code", "okved_main")
        if getattr(record, name) != getattr(previous, name)
    }
