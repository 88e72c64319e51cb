from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from creative_regions.core.navigation import NavigationEntry


class ResearchConfig(AppConfig):
    name = "creative_regions.research"
    label = "research"
    verbose_name = _("Research")
    navigation = (
        NavigationEntry(
            label=_("Russia"),
            url_name="research:russia",
            description=_(
                "The creative economy of every region: map, ranking, sectors."
            ),
        ),
        NavigationEntry(
            label=_("Research runs"),
            url_name="research:run-list",
            description=_(
                "Start a diagnosis of every region between two register snapshots "
                "and download its tables."
            ),
            roles=("manager", "analyst", "expert"),
        ),
        NavigationEntry(
            label=_("Classifications"),
            url_name="research:classification-list",
            description=_("Which activity codes count as creative industries."),
        ),
        NavigationEntry(
            label=_("Methodology"),
            url_name="research:methodology",
            description=_("How every figure of the research is computed."),
        ),
    )
