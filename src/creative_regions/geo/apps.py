from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from creative_regions.core.navigation import NavigationEntry


class GeoConfig(AppConfig):
    name = "creative_regions.geo"
    label = "geo"
    verbose_name = _("Regions")
    navigation = (
        NavigationEntry(
            label=_("Regions"),
            url_name="geo:region-list",
            description=_("The 89 subjects of the Russian Federation by district."),
        ),
        NavigationEntry(
            label=_("Map"),
            url_name="geo:region-map",
            description=_("The tile-grid map of the regions."),
        ),
    )
