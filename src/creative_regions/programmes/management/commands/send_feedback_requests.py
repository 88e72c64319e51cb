from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from creative_regions.programmes.models import Event
from creative_regions.programmes.notifications import send_feedback_requests


class Command(BaseCommand):
    help = (
        "E-mails the participants with a confirmed place a link to the feedback "
        "form: of the events that ended on a day (yesterday by default; run it "
        "once a day), or of one event. Each participant is asked once: running "
        "it again asks only those not asked yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ended-on",
            type=date.fromisoformat,
            help="The day the events ended, YYYY-MM-DD (default: yesterday).",
        )
        parser.add_argument("--event", type=int, help="One event, by its id.")

    def handle(self, *args, **options):
        if options["event"] is not None:
            events = Event.objects.filter(pk=options["event"])
            if not events.exists():
                raise CommandError(f"No event with id {options['event']}.")
        else:
            day = options["ended_on"] or timezone.localdate() - timedelta(days=1)
            events = Event.objects.filter(ends_on=day).exclude(
                status=Event.Status.CANCELLED
            )
        for event in events:
            sent = send_feedback_requests(event)
            self.stdout.write(f"{event.title}: {sent} e-mails sent.")
