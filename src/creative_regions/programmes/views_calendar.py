"""The calendar of events: a month as a grid of weeks or a paged list, filtered by
format, region, status and programme; its XLSX export; and the ICS feed that
Outlook and phone calendars subscribe to with a per-user signed link.

Every read starts from ``selectors.event_list``, so a regional partner sees here
exactly the events they see anywhere else, the feed included.
"""

from __future__ import annotations

import calendar as calendar_module
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import icalendar
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from creative_regions.core.exports import xlsx_response
from creative_regions.core.models import User
from creative_regions.geo.models import Region
from creative_regions.programmes import selectors, services
from creative_regions.programmes.filters import EventFilterSet
from creative_regions.programmes.forms import CalendarForm
from creative_regions.programmes.models import Event, Format
from creative_regions.programmes.templatetags.programmes_calendar import date_range

PAGE_SIZE = 50
FEED_SALT = "creative_regions.programmes.calendar-feed"
# Parameters of the calendar that are not the events' filter: the feed and the
# exports leave them out.
NOT_FILTERS = ("view", "month", "page", "sort")
# The status a calendar application shows for each of the events' statuses.
ICS_STATUS = {
    Event.Status.PLANNED: "TENTATIVE",
    Event.Status.CONFIRMED: "CONFIRMED",
    Event.Status.HELD: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
}


def is_partial(request: HttpRequest) -> bool:
    """Whether an HTMX request wants the results alone. A history restore (Back
    after the browser dropped its copy of the page) wants the whole page."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def filter_query(request: HttpRequest, *, drop: Sequence[str] = NOT_FILTERS) -> str:
    """The request's query string without the parameters in ``drop``."""
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


def select_widget(field, options, current: str, empty_label: str) -> None:
    """A select box of ``options`` for a filter typed as text in the API; a value
    that is not among them (typed into the address) stays selected."""
    choices = [("", empty_label), *((str(value), label) for value, label in options)]
    if current and all(current != value for value, _label in choices):
        choices.append((current, current))
    field.widget = forms.Select(choices=choices, attrs={"class": "form-select"})


def event_filters_setup(filterset: EventFilterSet, *, user: User) -> None:
    """The calendar's filter bar: select boxes of the regions where the user's
    events take place and of the programmes."""
    fields = filterset.form.fields
    data = filterset.data
    fields["q"].widget.input_type = "search"
    regions = (
        Region.objects.filter(events__in=selectors.event_list(user=user).values("pk"))
        .distinct()
        .order_by("name_en" if get_language() == "en" else "name_ru")
    )
    select_widget(
        fields["region"],
        ((region.code, region.name) for region in regions),
        data.get("region", ""),
        _("All regions"),
    )
    select_widget(
        fields["programme"],
        ((programme.pk, programme.name) for programme in selectors.programme_list()),
        data.get("programme", ""),
        _("All programmes"),
    )
    for name in ("date_from", "date_to"):
        fields[name].widget.input_type = "date"


# Feed tokens ----------------------------------------------------------------------


def feed_token(user: User) -> str:
    """The secret part of the user's feed address: their id, signed. The same
    user always gets the same token, so a subscription keeps working; it stops
    when the account is switched off."""
    return signing.Signer(salt=FEED_SALT).sign(str(user.pk))


def feed_user(token: str) -> User | None:
    """The active user whose feed ``token`` is, or ``None``."""
    try:
        pk = signing.Signer(salt=FEED_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not pk.isdigit():
        return None
    return User.objects.filter(pk=int(pk), is_active=True).first()


def feed_url(request: HttpRequest) -> str:
    """The absolute address of the user's feed with the page's filter."""
    url = request.build_absolute_uri(
        reverse("programmes:calendar-feed", args=[feed_token(request.user)])
    )
    query = filter_query(request)
    return f"{url}?{query}" if query else url


# The month grid -------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """An event's days within one week: ``first`` and ``last`` are the columns
    (0 = Monday) it covers there."""

    event: Event
    first: int
    last: int
    continues_before: bool
    continues_after: bool

    @property
    def span(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class Cell:
    """A cell of a lane: an event's bar over ``span`` days, or one empty day."""

    bar: Bar | None
    span: int = 1
    day: Day | None = None


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    is_today: bool


@dataclass
class Week:
    days: list[Day]
    lanes: list[list[Cell]] = field(default_factory=list)


def month_weeks(first: date, events: Sequence[Event], today: date) -> list[Week]:
    """The weeks (Monday first) that show the month of ``first``, each with its
    events laid out in lanes: an event is one bar across its days of the week,
    and bars that would overlap go to separate lanes, longer ones first."""
    last = first.replace(day=calendar_module.monthrange(first.year, first.month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    weeks = []
    week_start = start
    while week_start <= end:
        week_end = week_start + timedelta(days=6)
        days = [
            Day(
                day=day,
                in_month=day.month == first.month,
                is_today=day == today,
            )
            for day in (week_start + timedelta(days=n) for n in range(7))
        ]
        bars = sorted(
            (
                Bar(
                    event=event,
                    first=(max(event.starts_on, week_start) - week_start).days,
                    last=(min(event.ends_on, week_end) - week_start).days,
                    continues_before=event.starts_on < week_start,
                    continues_after=event.ends_on > week_end,
                )
                for event in events
                if event.starts_on <= week_end and event.ends_on >= week_start
            ),
            key=lambda bar: (bar.first, -bar.span, bar.event.starts_on, bar.event.pk),
        )
        lanes: list[list[Bar]] = []
        for bar in bars:
            for lane in lanes:
                if lane[-1].last < bar.first:
                    lane.append(bar)
                    break
            else:
                lanes.append([bar])
        week = Week(days=days)
        for lane in lanes:
            cells, column = [], 0
            for bar in lane:
                cells.extend(
                    Cell(None, day=days[empty]) for empty in range(column, bar.first)
                )
                cells.append(Cell(bar, bar.span))
                column = bar.last + 1
            cells.extend(Cell(None, day=days[empty]) for empty in range(column, 7))
            week.lanes.append(cells)
        weeks.append(week)
        week_start += timedelta(days=7)
    return weeks


def _month_after(month: date, step: int) -> date:
    index = month.year * 12 + month.month - 1 + step
    return date(index // 12, index % 12 + 1, 1)


# Pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormatLegend:
    value: str
    label: str


CALENDAR_SORTS = (
    ("dates", gettext_lazy("Dates"), ("", "starts_on")),
    ("title", gettext_lazy("Event"), ("title",)),
)


class CalendarView(LoginRequiredMixin, TemplateView):
    """The calendar: a month as a grid or all events as a paged list. The filter
    bar reloads the results in place (HTMX) and keeps the filter in the address,
    so the same links work without JavaScript."""

    template_name = "programmes/calendar/page.html"
    partial_template_name = "programmes/calendar/_results.html"

    def get_template_names(self) -> list[str]:
        if is_partial(self.request):
            return [self.partial_template_name]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        has_errors = bool(context["filter_errors"])
        # A whole page answering bad input says so; a fragment must still swap in.
        status = 400 if has_errors and not is_partial(request) else 200
        response = self.render_to_response(context, status=status)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        user = request.user
        today = timezone.localdate()
        calendar_form = CalendarForm(request.GET)
        calendar_form.is_valid()
        view = calendar_form.cleaned_data.get("view") or "month"
        month = calendar_form.cleaned_data.get("month") or today.replace(day=1)
        filterset = EventFilterSet(
            request.GET, queryset=selectors.event_list(user=user), request=request
        )
        if not is_partial(request):
            event_filters_setup(filterset, user=user)
        is_valid = filterset.is_valid()
        events = filterset.qs if is_valid else filterset.queryset.none()
        filter_errors = [
            (str(filterset.form.fields[name].label), errors)
            for name, errors in filterset.form.errors.items()
        ] + [
            (str(calendar_form.fields[name].label), errors)
            for name, errors in calendar_form.errors.items()
        ]
        query = filter_query(request)
        context.update(
            filterset=filterset,
            filter_errors=filter_errors,
            view=view,
            month=month,
            today=today,
            query_string=query,
            feed_url=feed_url(request),
            export_url=reverse("programmes:calendar-export")
            + (f"?{query}" if query else ""),
            can_edit=services.user_is_programme_staff(user),
            has_no_regions=user.is_partner and not user.regions.exists(),
            is_partial=is_partial(request),
            formats=[FormatLegend(value, label) for value, label in Format.choices],
            month_url=self._url(query, view="month", month=month),
            list_url=self._url(query, view="list"),
        )
        if view == "list":
            context.update(self._list_context(events))
        else:
            context.update(self._month_context(events, month, today, query))
        return context

    def _url(self, query: str, **parameters) -> str:
        values = QueryDict(query, mutable=True)
        for name, value in parameters.items():
            values[name] = value.strftime("%Y-%m") if isinstance(value, date) else value
        return f"{self.request.path}?{values.urlencode()}"

    def _month_context(
        self, events: QuerySet[Event], month: date, today: date, query: str
    ) -> dict:
        last = _month_after(month, 1) - timedelta(days=1)
        shown = list(
            events.filter(starts_on__lte=last + timedelta(days=6))
            .filter(ends_on__gte=month - timedelta(days=6))
            .order_by("starts_on", "pk")
        )
        in_month = [
            event
            for event in shown
            if event.starts_on <= last and event.ends_on >= month
        ]
        context = {
            "weeks": month_weeks(month, shown, today),
            "month_count": len(in_month),
            "weekdays": [
                (WEEKDAYS_ABBR[number], WEEKDAYS[number]) for number in range(7)
            ],
            "previous_month": _month_after(month, -1),
            "next_month": _month_after(month, 1),
            "previous_url": self._url(
                query, view="month", month=_month_after(month, -1)
            ),
            "next_url": self._url(query, view="month", month=_month_after(month, 1)),
            "today_url": self._url(query, view="month", month=today.replace(day=1)),
            "is_current_month": (month.year, month.month) == (today.year, today.month),
        }
        if not in_month:
            # An empty month says where the nearest events are.
            earlier = events.filter(ends_on__lt=month).order_by("-ends_on").first()
            later = events.filter(starts_on__gt=last).order_by("starts_on").first()
            if earlier is not None:
                context["earlier_month"] = earlier.ends_on.replace(day=1)
                context["earlier_url"] = self._url(
                    query, view="month", month=context["earlier_month"]
                )
            if later is not None:
                context["later_month"] = later.starts_on.replace(day=1)
                context["later_url"] = self._url(
                    query, view="month", month=context["later_month"]
                )
        return context

    def _list_context(self, events: QuerySet[Event]) -> dict:
        page = Paginator(events, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            "page": page,
            "list_query": filter_query(self.request, drop=("page", "month")),
            "columns": sortable_columns(
                self.request, CALENDAR_SORTS, default_direction="descending"
            ),
        }


@dataclass(frozen=True)
class SortableColumn:
    label: str
    url: str
    # The value of aria-sort: "ascending", "descending", or "" when unsorted.
    direction: str


def sortable_columns(
    request: HttpRequest,
    specs: Sequence[tuple[str, str, tuple[str, ...]]],
    *,
    default_direction: str = "ascending",
) -> dict[str, SortableColumn]:
    """Links of the column headers: a click sorts by the column, a second click
    turns the order round where the list can (``specs`` gives each column's
    orders, the first being where a click on an unsorted column leads). The
    empty order is the list's own, running in ``default_direction``."""
    current = request.GET.get("sort", "")
    columns = {}
    for key, label, orders in specs:
        if current in orders:
            following = orders[(orders.index(current) + 1) % len(orders)]
            if not current:
                direction = default_direction
            elif current.startswith("-"):
                direction = "descending"
            else:
                direction = "ascending"
        else:
            following, direction = orders[0], ""
        query = request.GET.copy()
        for name in ("page", "sort"):
            query.pop(name, None)
        if following:
            query["sort"] = following
        columns[key] = SortableColumn(
            label=str(label),
            url=f"{request.path}?{query.urlencode()}",
            direction=direction,
        )
    return columns


class CalendarExportView(LoginRequiredMixin, View):
    """The events of the calendar's filter as an XLSX workbook. Events are not
    personal data, so the download is not logged."""

    def get(self, request):
        filterset = EventFilterSet(
            request.GET,
            queryset=selectors.event_list(user=request.user),
            request=request,
        )
        if not filterset.is_valid():
            return bad_filter_response(filterset)
        headers = [
            _("Title"),
            _("Format"),
            _("Starts on"),
            _("Ends on"),
            _("City"),
            _("Region"),
            _("Status"),
            _("Programme"),
            _("Places"),
            _("Goals"),
        ]
        rows = (
            [
                event.title,
                event.get_format_display(),
                event.starts_on,
                event.ends_on,
                event.city,
                event.region.name,
                event.get_status_display(),
                event.programme.name if event.programme else "",
                event.capacity,
                event.goals,
            ]
            for event in filterset.qs
        )
        return xlsx_response(
            filename="events.xlsx",
            sheet_title=_("Events"),
            headers=headers,
            rows=rows,
        )


def bad_filter_response(filterset) -> HttpResponse:
    """400 with each refused filter and why, as plain text (a download or a
    calendar application has no page to show it on)."""
    fields = filterset.form.fields
    lines = [
        f"{fields[name].label if name in fields else name}: {' '.join(errors)}"
        for name, errors in filterset.form.errors.items()
    ]
    return HttpResponse(
        "\n".join(lines), status=400, content_type="text/plain; charset=utf-8"
    )


# The ICS feed ---------------------------------------------------------------------


def _ics_description(event: Event, url: str) -> str:
    parts = [
        f"{event.get_format_display()} · {date_range(event.starts_on, event.ends_on)}"
    ]
    if event.goals:
        parts.append(f"{_('Goals')}: {event.goals}")
    parts.append(url)
    return "\n\n".join(parts)


def events_ics(events: Sequence[Event], *, request: HttpRequest, name: str) -> bytes:
    """An iCalendar (RFC 5545) of ``events``: one all-day VEVENT each, its end the
    day after its last (DTEND is exclusive), its UID stable across fetches so a
    subscribed calendar updates events instead of duplicating them."""
    feed = icalendar.Calendar()
    feed.add("prodid", "-//Creative Regions//Programmes//RU")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", timezone.get_current_timezone_name())
    stamp = timezone.now()
    host = request.get_host().split(":")[0] or "creative-regions"
    for event in events:
        url = request.build_absolute_uri(
            reverse("programmes:event-detail", args=[event.pk])
        )
        entry = icalendar.Event()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_on)
        entry.add("dtend", event.ends_on + timedelta(days=1))
        entry.add("summary", event.title)
        entry.add("location", event.city)
        entry.add("description", _ics_description(event, url))
        entry.add("url", url)
        entry.add("status", ICS_STATUS[event.status])
        entry.add("categories", [event.get_format_display()])
        entry.add("transp", "TRANSPARENT")
        feed.add_component(entry)
    return feed.to_ical()


class CalendarFeedView(View):
    """The ICS feed of a user's calendar with a filter, fetched by calendar
    applications without a session: the signed token in the address says whose
    events to show, and only what that user may see is shown."""

    def get(self, request, token: str):
        user = feed_user(token)
        if user is None:
            return HttpResponse(
                _("This calendar link is not valid: copy it again from the calendar."),
                status=404,
                content_type="text/plain; charset=utf-8",
            )
        filterset = EventFilterSet(
            request.GET, queryset=selectors.event_list(user=user), request=request
        )
        if not filterset.is_valid():
            return bad_filter_response(filterset)
        events = filterset.qs.order_by("starts_on", "pk")
        content = events_ics(
            list(events), request=request, name=_("Creative Regions: events")
        )
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="events.ics"'
        # The address is a secret: keep it out of shared caches.
        response["Cache-Control"] = "private, max-age=900"
        return response
