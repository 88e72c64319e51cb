from django.core.management.base import BaseCommand

from creative_regions.core.services import demo_admin_ensure


class Command(BaseCommand):
    help = "Creates the demo administrator once and prints its password that one time."

    def handle(self, *args, **options):
        user, password = demo_admin_ensure()
        if password is None:
            self.stdout.write(
                f"Demo administrator '{user.username}' exists (its password was "
                "printed when it was created; change it with "
                f"'creative-regions changepassword {user.username}')."
            )
            return
        self.stdout.write(self.style.SUCCESS("Demo administrator created:"))
        self.stdout.write(f"    login:    {user.username}")
        self.stdout.write(f"    password: {password}")
        self.stdout.write("The password is shown only now; note it down.")
