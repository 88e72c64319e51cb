"""What a registered person receives: the e-mails (confirmation, a place freed
from the waitlist, the request for feedback), the signed links in them, and the
QR code of their ticket.

Links are absolute (``settings.SITE_URL``) and signed with a salt per purpose, so
a ticket link cannot be turned into a cancellation link. The QR code holds the
address of the staff check-in page of the registration; opening it needs a
staff sign-in, so the code alone gives nothing away.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import qrcode
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from qrcode.image.svg import SvgPathImage

from creative_regions.programmes import selectors
from creative_regions.programmes.models import Event, Registration

logger = logging.getLogger(__name__)

# One salt per purpose: a signature is good for what it was made for only.
SALTS = {
    "ticket": "creative_regions.programmes.ticket",
    "cancel": "creative_regions.programmes.cancel",
    "feedback": "creative_regions.programmes.feedback",
}
# A person whose language is not known is written to in both, Russian first.
BOTH_LANGUAGES = ("ru", "en")


# Dates --------------------------------------------------------------------------------


def date_range(first: date, last: date) -> str:
    """Dates as people write them: «6–7 июля 2023 г.», «30 июня – 2 июля 2023 г.»;
    in English «6–7 July 2023»."""
    if first == last:
        return date_format(first, "DATE_FORMAT")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{date_format(last, 'DATE_FORMAT')}"
    if first.year == last.year:
        return f"{date_format(first, 'j E')} – {date_format(last, 'DATE_FORMAT')}"
    return f"{date_format(first, 'DATE_FORMAT')} – {date_format(last, 'DATE_FORMAT')}"


def event_dates(event: Event) -> str:
    return date_range(event.starts_on, event.ends_on)


# Signed links -------------------------------------------------------------------------


class LinkError(Exception):
    """A link that cannot be followed; ``reason`` is ``expired``, ``invalid``
    (tampered with or cut short) or ``gone`` (the registration was deleted)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def link_signature(registration: Registration, purpose: str) -> str:
    signer = signing.TimestampSigner(salt=SALTS[purpose])
    return signer.sign(registration.token.hex)


def registration_from_link(signature: str, purpose: str) -> Registration:
    """The registration a signed link stands for; ``LinkError`` when it does not
    stand for one any more."""
    signer = signing.TimestampSigner(salt=SALTS[purpose])
    max_age = timedelta(days=settings.PROGRAMMES_LINK_MAX_AGE_DAYS)
    try:
        token = signer.unsign(signature, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except signing.BadSignature:
        raise LinkError("invalid") from None
    try:
        return selectors.registration_by_token(token)
    except Http404:
        raise LinkError("gone") from None


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def ticket_url(registration: Registration) -> str:
    signature = link_signature(registration, "ticket")
    return absolute_url(reverse("programmes:public-ticket", args=[signature]))


def cancel_url(registration: Registration) -> str:
    signature = link_signature(registration, "cancel")
    return absolute_url(reverse("programmes:public-cancel", args=[signature]))


def feedback_url(registration: Registration) -> str:
    signature = link_signature(registration, "feedback")
    return absolute_url(reverse("programmes:public-feedback", args=[signature]))


def check_in_url(registration: Registration) -> str:
    """The staff page that checks the person in: what the QR code holds."""
    return absolute_url(reverse("programmes:check-in", args=[registration.token]))


# QR code ------------------------------------------------------------------------------

_SVG_SIZE = re.compile(r'^<svg width="[^"]*" height="[^"]*"')


def qr_code_svg(data: str, *, label: str = "") -> SafeString:
    """``data`` as a QR code in SVG to put inline in a page: vector, so it stays
    sharp on a phone held up at the door; sized by CSS."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    opening = f'<svg class="qr-code" role="img" aria-label="{escape(label)}"'
    return mark_safe(_SVG_SIZE.sub(opening, svg, count=1))


# E-mails ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """One e-mail in one language."""

    subject: str
    text: str
    html: str


def _context(registration: Registration) -> dict:
    event = registration.event
    return {
        "registration": registration,
        "person": registration.person,
        "event": event,
        "dates": event_dates(event),
        "status": registration.get_status_display(),
        "is_confirmed": registration.status == Registration.Status.CONFIRMED,
        "waitlist_position": selectors.waitlist_position(registration),
        "ticket_url": ticket_url(registration),
        "cancel_url": cancel_url(registration),
        "feedback_url": feedback_url(registration),
        "greeting_name": " ".join(
            part
            for part in (registration.person.first_name, registration.person.patronymic)
            if part
        ),
    }


def _letter(template: str, subject: str, context: dict) -> Letter:
    return Letter(
        subject=subject,
        text=render_to_string(f"programmes/email/{template}.txt", context),
        html=render_to_string(f"programmes/email/{template}.html", context),
    )


def _confirmation(registration: Registration) -> Letter:
    context = _context(registration)
    if context["is_confirmed"]:
        subject = _("Registration confirmed: %(event)s")
    else:
        subject = _("You are on the waitlist: %(event)s")
    return _letter(
        "confirmation", subject % {"event": registration.event.title}, context
    )


def _promotion(registration: Registration) -> Letter:
    subject = _("A place is yours: %(event)s") % {"event": registration.event.title}
    return _letter("promotion", subject, _context(registration))


def _feedback_request(registration: Registration) -> Letter:
    subject = _("How was it? Your feedback on %(event)s") % {
        "event": registration.event.title
    }
    return _letter("feedback_request", subject, _context(registration))


def _send(
    registration: Registration,
    compose: Callable[[Registration], Letter],
    languages: Iterable[str],
) -> bool:
    """Sends the letter in each of ``languages`` (one e-mail, the languages one
    after the other). A failing mail server is logged, not raised: the
    registration is recorded whatever the post does, and the ticket page has
    the same links."""
    email = registration.person.email
    if not email:
        return False
    languages = list(languages)
    letters = []
    for language in languages:
        with translation.override(language):
            letters.append(compose(registration))
    html = render_to_string(
        "programmes/email/layout.html",
        {
            "parts": [mark_safe(letter.html) for letter in letters],
            "language": languages[0],
        },
    )
    message = EmailMultiAlternatives(
        subject=" / ".join(letter.subject for letter in letters),
        body="\n\n— — —\n\n".join(letter.text.strip() for letter in letters) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("E-mail to registration %s was not sent", registration.pk)
        return False
    return True


def send_confirmation(
    registration: Registration, languages: Iterable[str] | None = None
) -> bool:
    """The confirmation of a registration: the event, its dates, the status
    (with the place in the queue when waitlisted), the ticket link and the
    cancellation link; by default in the language of the request (the one the
    person filled the public form in)."""
    if languages is None:
        languages = [translation.get_language() or settings.LANGUAGE_CODE]
    return _send(registration, _confirmation, languages)


def send_promotion(registration: Registration) -> bool:
    """Tells a person that a place freed up and is now theirs. The language of
    their registration is not on record, so the letter is in both."""
    return _send(registration, _promotion, BOTH_LANGUAGES)


def send_feedback_request(registration: Registration) -> bool:
    return _send(registration, _feedback_request, BOTH_LANGUAGES)


def send_feedback_requests(event: Event) -> int:
    """Asks every participant with a confirmed place for feedback on the event,
    once: those already asked, or who already answered, are not asked again.
    The number of e-mails sent."""
    registrations = event.registrations.filter(
        status=Registration.Status.CONFIRMED,
        feedback_requested_at__isnull=True,
        feedback__isnull=True,
    ).select_related("event", "person")
    sent = 0
    for registration in registrations:
        if send_feedback_request(registration):
            Registration.objects.filter(pk=registration.pk).update(
                feedback_requested_at=timezone.now()
            )
            sent += 1
    return sent
