"""The ``creative-regions`` console script: ``manage.py`` for an installed project."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creative_regions.settings")
    import django
    from django.conf import settings
    from django.core.management import execute_from_command_line

    django.setup()
    # The SQLite file and the register store live here; create it on first use.
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)

    execute_from_command_line(["creative-regions", *sys.argv[1:]])


if __name__ == "__main__":
    main()
