from django.core.management.base import BaseCommand

from creative_regions.geo.services import region_load_reference
from creative_regions.research.services import classification_load_reference


class Command(BaseCommand):
    help = (
        "Loads the regions of Russia and the creative-industry classifications "
        "(ru-minec-16, uk-dcms). Safe to run again: unchanged data stays as it is."
    )

    def handle(self, *args, **options):
        regions = region_load_reference()
        self.stdout.write(
            f"Regions: {regions.created} created, {regions.updated} updated, "
            f"{regions.unchanged} unchanged."
        )
        for outcome in classification_load_reference():
            version = outcome.version
            state = "imported" if outcome.is_new else "already present"
            self.stdout.write(
                f"Classification {version.classification.key} {version.label}: "
                f"{version.entry_count} codes, {state}."
            )
