from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from creative_regions.core.navigation import NavigationEntry


class RegistryConfig(AppConfig):
    name = "creative_regions.registry"
    label = "registry"
    verbose_name = _("Business register")
    navigation = (
        NavigationEntry(
            label=_("Register"),
            url_name="registry:status",
            description=_("The SME register: snapshots, imports and the quarantine."),
            roles=("manager", "analyst", "expert"),
        ),
    )
