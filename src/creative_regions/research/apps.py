from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from creative_regions.core.navigation import NavigationEntry


class ResearchConfig(AppConfig):
    name = "creative_regions.research"
    label = "research"
    verbose_name = _("Research")
    navigation = (
        NavigationEntry(
            label=_("Classifications"),
            url_name="research:classification-list",
            description=_("Which activity codes count as creative industries."),
        ),
    )
