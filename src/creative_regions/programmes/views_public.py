"""The public side of an event and its door.

Without signing in: the registration page of an event open to registration, the
ticket (QR code, status, cancellation) and the feedback form, both reached by a
signed link from the e-mails. Staff at the door: the check-in page a ticket's QR
code opens, and the search over an event's registrations.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from creative_regions.core.permissions import RoleRequiredMixin
from creative_regions.programmes import selectors, services
from creative_regions.programmes.forms_public import (
    CONSENT_TEXT,
    CheckInForm,
    DoorCheckInForm,
    FeedbackForm,
    PublicRegistrationForm,
)
from creative_regions.programmes.limits import client_ip, guard_public_post
from creative_regions.programmes.models import Attendance, Event, Registration
from creative_regions.programmes.notifications import (
    LinkError,
    check_in_url,
    event_dates,
    link_signature,
    qr_code_svg,
    registration_from_link,
)

# The event staff work the door of, set by its check-in page: a ticket of
# another event scanned there is flagged.
DOOR_EVENT_KEY = "programmes_door_event"
# The registration just made in this browser, for the page that reports it.
REGISTERED_KEY = "programmes_registered"


class PublicPostMixin:
    """Rate limit, body size and then CSRF, before the view reads the body."""

    @classmethod
    def as_view(cls, **initkwargs):
        return guard_public_post(super().as_view(**initkwargs))


def _closed_reason(event: Event) -> str:
    if event.status == Event.Status.CANCELLED:
        return _("This event is cancelled.")
    if event.status == Event.Status.HELD or event.ends_on < timezone.localdate():
        return _("This event has already taken place.")
    return _("Registration for this event is closed.")


def _event_context(event: Event) -> dict:
    return {
        "event": event,
        "dates": event_dates(event),
        "sessions": selectors.session_list(event=event),
        "totals": selectors.registration_totals(event.registrations.all(), event),
    }


def _link_refused(request: HttpRequest, error: LinkError) -> HttpResponse:
    status = {"expired": 410, "gone": 404}.get(error.reason, 400)
    return render(
        request,
        "programmes/public/link_invalid.html",
        {"reason": error.reason},
        status=status,
    )


def _event_has_started(event: Event) -> bool:
    return timezone.localdate() >= event.starts_on


def _event_is_over(event: Event) -> bool:
    return (
        event.status in (Event.Status.HELD, Event.Status.CANCELLED)
        or event.ends_on < timezone.localdate()
    )


# Registration -------------------------------------------------------------------------


class EventRegisterView(PublicPostMixin, View):
    """An event's public page: its dates and itinerary, the places left and the
    registration form; a closed event says why."""

    template_name = "programmes/public/register.html"

    def dispatch(self, request, *args, **kwargs):
        self.event = selectors.event_by_public_key(public_key=kwargs["public_key"])
        return super().dispatch(request, *args, **kwargs)

    def is_open(self) -> bool:
        try:
            selectors.public_event_get(public_key=self.event.public_key)
        except Http404:
            return False
        return True

    def render_page(self, form: PublicRegistrationForm | None) -> HttpResponse:
        context = _event_context(self.event)
        context.update(
            form=form,
            consent_text=CONSENT_TEXT,
            closed_reason=_closed_reason(self.event) if form is None else None,
        )
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, public_key) -> HttpResponse:
        return self.render_page(PublicRegistrationForm() if self.is_open() else None)

    def post(self, request: HttpRequest, public_key) -> HttpResponse:
        if not self.is_open():
            return self.render_page(None)
        form = PublicRegistrationForm(request.POST)
        if form.is_valid():
            try:
                registration = services.public_register(
                    event=self.event,
                    client=_("address %(ip)s") % {"ip": client_ip(request)},
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                request.session[REGISTERED_KEY] = {
                    "token": str(registration.token),
                    "email": form.cleaned_data["email"],
                }
                return redirect("programmes:public-registered", public_key=public_key)
        return self.render_page(form)


class RegistrationDoneView(View):
    """What became of the registration just made in this browser: a confirmed
    place, or the place in the waitlist."""

    def get(self, request: HttpRequest, public_key) -> HttpResponse:
        event = selectors.event_by_public_key(public_key=public_key)
        made = request.session.get(REGISTERED_KEY) or {}
        try:
            registration = selectors.registration_by_token(made.get("token"))
        except Http404:
            registration = None
        if registration is None or registration.event_id != event.pk:
            return redirect("programmes:public-register", public_key=public_key)
        return render(
            request,
            "programmes/public/registered.html",
            {
                "event": event,
                "dates": event_dates(event),
                "registration": registration,
                "position": selectors.waitlist_position(registration),
                "email": made.get("email", ""),
            },
        )


# Ticket, cancellation, feedback -------------------------------------------------------


class TicketView(View):
    """The person's ticket, by the signed link of their e-mail: the QR code to
    show at the door, the status, and the way to cancel or leave feedback."""

    def get(self, request: HttpRequest, signature: str) -> HttpResponse:
        try:
            registration = registration_from_link(signature, "ticket")
        except LinkError as error:
            return _link_refused(request, error)
        event = registration.event
        is_active = registration.status != Registration.Status.CANCELLED
        is_confirmed = registration.status == Registration.Status.CONFIRMED
        context = _event_context(event)
        context.update(
            registration=registration,
            position=selectors.waitlist_position(registration),
            qr_code=(
                qr_code_svg(
                    check_in_url(registration),
                    label=_("QR code of the ticket of %(person)s")
                    % {"person": registration.person},
                )
                if is_active
                else None
            ),
            cancel_path=(
                reverse(
                    "programmes:public-cancel",
                    args=[link_signature(registration, "cancel")],
                )
                if is_active and not _event_is_over(event)
                else None
            ),
            feedback_path=(
                reverse(
                    "programmes:public-feedback",
                    args=[link_signature(registration, "feedback")],
                )
                if is_confirmed and _event_has_started(event)
                else None
            ),
        )
        return render(request, "programmes/public/ticket.html", context)


class TicketCancelView(PublicPostMixin, View):
    """Cancels a registration from the signed link, after a confirmation; the
    place freed goes to the first on the waitlist (``registration_cancel``)."""

    template_name = "programmes/public/cancel.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.registration = registration_from_link(kwargs["signature"], "cancel")
        except LinkError as error:
            return _link_refused(request, error)
        return super().dispatch(request, *args, **kwargs)

    def ticket_path(self) -> str:
        signature = link_signature(self.registration, "ticket")
        return reverse("programmes:public-ticket", args=[signature])

    def get(self, request: HttpRequest, signature: str) -> HttpResponse:
        event = self.registration.event
        return render(
            request,
            self.template_name,
            {
                "registration": self.registration,
                "event": event,
                "dates": event_dates(event),
                "ticket_path": self.ticket_path(),
                "is_cancelled": (
                    self.registration.status == Registration.Status.CANCELLED
                ),
                "is_over": services.registration_is_over(event),
            },
        )

    def post(self, request: HttpRequest, signature: str) -> HttpResponse:
        if self.registration.status != Registration.Status.CANCELLED:
            try:
                services.registration_cancel(registration=self.registration)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Your registration is cancelled. Thank you for letting us know."),
                )
        return redirect(self.ticket_path())


class FeedbackView(PublicPostMixin, View):
    """The feedback form, by the signed link of the e-mail sent after the event
    (or from the ticket once the event has started); sending again replaces
    the earlier answers."""

    template_name = "programmes/public/feedback.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.registration = registration_from_link(kwargs["signature"], "feedback")
        except LinkError as error:
            return _link_refused(request, error)
        return super().dispatch(request, *args, **kwargs)

    def unavailable_reason(self) -> str | None:
        if self.registration.status != Registration.Status.CONFIRMED:
            return _("Only participants with a place can leave feedback.")
        if not _event_has_started(self.registration.event):
            return _("Feedback opens when the event starts.")
        return None

    def render_page(self, form: FeedbackForm) -> HttpResponse:
        event = self.registration.event
        return render(
            self.request,
            self.template_name,
            {
                "registration": self.registration,
                "event": event,
                "dates": event_dates(event),
                "form": form,
                "unavailable": self.unavailable_reason(),
            },
        )

    def get(self, request: HttpRequest, signature: str) -> HttpResponse:
        earlier = getattr(self.registration, "feedback", None)
        initial = (
            {}
            if earlier is None
            else {
                "rating": earlier.rating,
                "recommend": earlier.recommend,
                "comment": earlier.comment,
            }
        )
        return self.render_page(FeedbackForm(initial=initial))

    def post(self, request: HttpRequest, signature: str) -> HttpResponse:
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.feedback_submit(
                    registration=self.registration, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("Thank you: your feedback is recorded. You can change it here."),
                )
                return redirect(request.path)
        return self.render_page(form)


# The door (staff) ---------------------------------------------------------------------


class DoorMixin(RoleRequiredMixin):
    """Agency staff only; anyone else signs in first or is refused."""

    allowed_roles = services.STAFF_ROLES


def _attendance(registration: Registration, session) -> Attendance | None:
    if session is None:
        return None
    return registration.attendances.filter(session=session).first()


class CheckInTicketView(DoorMixin, View):
    """What the QR code of a ticket opens: the person, their delegation and
    status, big enough to read at arm's length, and one button to check them in
    to the session chosen (by default the one running now)."""

    template_name = "programmes/public/door_ticket.html"

    def load(self, token) -> None:
        self.registration = selectors.registration_by_token(token)

    def door_event(self) -> Event | None:
        """The event whose door the user works, when it is another one."""
        door_event_id = self.request.session.get(DOOR_EVENT_KEY)
        if door_event_id in (None, self.registration.event_id):
            return None
        try:
            return selectors.event_get_for_user(
                user=self.request.user, pk=door_event_id
            )
        except Http404:
            return None

    def render_page(self, form: CheckInForm, state: str, **extra) -> HttpResponse:
        registration = self.registration
        context = {
            "registration": registration,
            "event": registration.event,
            "dates": event_dates(registration.event),
            "form": form,
            "state": state,
            "door_event": self.door_event(),
            "has_sessions": form.fields["session"].queryset.exists(),
            **extra,
        }
        return render(self.request, self.template_name, context)

    def state_before(self, session) -> tuple[str, Attendance | None]:
        if self.registration.status != Registration.Status.CONFIRMED:
            return "no_place", None
        if self.door_event() is not None:
            return "wrong_event", None
        attendance = _attendance(self.registration, session)
        return ("already" if attendance else "ready"), attendance

    def get(self, request: HttpRequest, token) -> HttpResponse:
        self.load(token)
        event = self.registration.event
        now = timezone.localtime()
        session = selectors.door_session_default(event, day=now.date(), at=now.time())
        form = CheckInForm(event=event, initial={"session": session})
        state, attendance = self.state_before(session)
        return self.render_page(form, state, attendance=attendance, session=session)

    def post(self, request: HttpRequest, token) -> HttpResponse:
        self.load(token)
        form = CheckInForm(request.POST, event=self.registration.event)
        if not form.is_valid():
            return self.render_page(form, "ready")
        session = form.cleaned_data["session"]
        state, attendance = self.state_before(session)
        if state in ("ready", "no_place"):
            try:
                attendance = services.check_in(
                    user=request.user,
                    registration=self.registration,
                    session=session,
                    method=Attendance.Method.QR,
                )
            except ValidationError as error:
                return self.render_page(
                    form, "refused", refusal=" ".join(error.messages), session=session
                )
            state = "checked_in"
        return self.render_page(form, state, attendance=attendance, session=session)


class EventCheckInView(DoorMixin, View):
    """The door of an event: the session people are checked in to, a search over
    the event's registrations by surname, e-mail or phone (HTMX results), and
    one click to check someone in."""

    template_name = "programmes/public/door_event.html"
    partial_template_name = "programmes/public/partials/_door_results.html"
    row_template_name = "programmes/public/partials/_door_row.html"

    def load(self, pk: int) -> None:
        self.event = selectors.event_get_for_user(user=self.request.user, pk=pk)

    def chosen_session(self, value):
        sessions = selectors.session_list(event=self.event)
        if value:
            chosen = sessions.filter(pk=value).first() if str(value).isdigit() else None
            if chosen is not None:
                return chosen
        now = timezone.localtime()
        return selectors.door_session_default(self.event, day=now.date(), at=now.time())

    def rows(self, registrations, session) -> list[dict]:
        attended = {}
        if session is not None:
            attended = dict(
                session.attendances.filter(
                    registration__in=[registration.pk for registration in registrations]
                ).values_list("registration_id", "recorded_at")
            )
        return [
            {
                "registration": registration,
                "checked_in_at": attended.get(registration.pk),
                "is_confirmed": registration.status == Registration.Status.CONFIRMED,
            }
            for registration in registrations
        ]

    def counts(self, session) -> dict:
        return {
            "confirmed": self.event.registrations.filter(
                status=Registration.Status.CONFIRMED
            ).count(),
            "present": session.attendances.count() if session else 0,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.load(pk)
        request.session[DOOR_EVENT_KEY] = self.event.pk
        session = self.chosen_session(request.GET.get("session"))
        text = request.GET.get("q", "").replace("\x00", "")[:200]
        registrations = list(selectors.door_search(event=self.event, text=text))
        form = CheckInForm(
            event=self.event, initial={"session": session}, auto_id="door_%s"
        )
        # Large, as the search box next to it: the door is worked on a tablet.
        form.fields["session"].widget.attrs["class"] += " form-select-lg"
        context = {
            "event": self.event,
            "dates": event_dates(self.event),
            "form": form,
            "session": session,
            "text": text,
            "rows": self.rows(registrations, session),
            **self.counts(session),
        }
        is_partial = request.htmx and not request.htmx.boosted
        template = self.partial_template_name if is_partial else self.template_name
        response = render(request, template, context)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.load(pk)
        form = DoorCheckInForm(request.POST, event=self.event)
        if not form.is_valid():
            messages.error(request, _("Choose a session of this event."))
            return redirect("programmes:event-check-in", pk=self.event.pk)
        registration = self.event.registrations.filter(
            pk=form.cleaned_data["registration"]
        ).first()
        if registration is None:
            raise Http404(_("No such registration."))
        session = form.cleaned_data["session"]
        error = None
        try:
            services.check_in(
                user=request.user,
                registration=registration,
                session=session,
                method=Attendance.Method.SEARCH,
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        if request.htmx:
            row = self.rows([registration], session)[0]
            return render(
                request,
                self.row_template_name,
                {
                    "row": row,
                    "session": session,
                    "error": error,
                    "event": self.event,
                    "text": request.POST.get("q", ""),
                    # The counts above the results follow (out of band).
                    "oob": True,
                    **self.counts(session),
                },
            )
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request,
                _("%(person)s is checked in.") % {"person": registration.person},
            )
        query = urlencode({"session": session.pk, "q": request.POST.get("q", "")})
        return redirect(
            f"{reverse('programmes:event-check-in', args=[self.event.pk])}?{query}"
        )
