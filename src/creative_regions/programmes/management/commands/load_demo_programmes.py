from django.core.management.base import BaseCommand, CommandError

from creative_regions.core.exceptions import ApplicationError
from creative_regions.core.models import User
from creative_regions.core.services import DEMO_ADMIN_USERNAME
from creative_regions.programmes.demo import demo_programmes_load


class Command(BaseCommand):
    help = (
        "Loads the demo programmes: Moscow's creative spaces, the July 2023 "
        "business mission of Karelian designers and study tour of regional "
        "delegations, monthly study tours of 2023 and 2024, outreach visits, and "
        "events of 2027 open to registration. Needs the demo community. Safe to "
        "run again: what exists stays as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            default=DEMO_ADMIN_USERNAME,
            help="Login recorded as the author of the records (default: %(default)s).",
        )

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(
                f"No user '{options['user']}': create it first "
                "(creative-regions create_demo_admin)."
            )
        try:
            summary = demo_programmes_load(user=user)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if not sum(summary.created.values()):
            self.stdout.write("Demo programmes: already loaded, nothing to add.")
        else:
            counts = ", ".join(
                f"{number} {kind}" for kind, number in sorted(summary.created.items())
            )
            self.stdout.write(self.style.SUCCESS(f"Demo programmes: added {counts}."))
        for note in summary.notes:
            self.stdout.write(note)
