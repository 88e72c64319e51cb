from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from creative_regions.core.navigation import NavigationEntry


class ProgrammesConfig(AppConfig):
    name = "creative_regions.programmes"
    label = "programmes"
    verbose_name = _("Programmes")
    navigation = (
        NavigationEntry(
            label=_("Calendar"),
            url_name="programmes:calendar",
            description=_(
                "Business missions, internships, study tours, outreach visits and "
                "seminars, by month or as a list."
            ),
        ),
        NavigationEntry(
            label=_("Programmes"),
            url_name="programmes:programme-list",
            description=_("Series of events of one format, year by year."),
        ),
        NavigationEntry(
            label=_("Venues"),
            url_name="programmes:venue-list",
            description=_("Creative spaces and sites the itineraries visit."),
        ),
    )
