from django.core.management.base import BaseCommand, CommandError

from creative_regions.community.demo import demo_community_load
from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User
from creative_regions.core.services import DEMO_ADMIN_USERNAME


class Command(BaseCommand):
    help = (
        "Loads the demo community: regional authorities, creative spaces and "
        "companies, people with their consents, communities, and the dialogue "
        "with follow-ups. Safe to run again: what exists stays as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            default=DEMO_ADMIN_USERNAME,
            help="Login recorded as the author of the records; the demo's "
            '"my follow-ups" are this user\'s (default: %(default)s).',
        )

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(
                f"No user '{options['user']}': create it first "
                "(creative-regions create_demo_admin)."
            )
        try:
            summary = demo_community_load(user=user)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if not sum(summary.created.values()):
            self.stdout.write("Demo community: already loaded, nothing to add.")
        else:
            counts = ", ".join(
                f"{number} {kind}" for kind, number in sorted(summary.created.items())
            )
            self.stdout.write(self.style.SUCCESS(f"Demo community: added {counts}."))
        for note in summary.notes:
            self.stdout.write(note)
