from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from creative_regions.core.extensions import TemplateExtension
from creative_regions.core.navigation import NavigationEntry


class CommunityConfig(AppConfig):
    name = "creative_regions.community"
    label = "community"
    verbose_name = _("Community")
    navigation = (
        NavigationEntry(
            # "Organisations" alone is already a column header in another case.
            label=pgettext_lazy("community", "Organisations"),
            url_name="community:organisation-list",
            description=_(
                "Companies, creative spaces, universities, funds and authorities "
                "of the regions."
            ),
        ),
        NavigationEntry(
            label=_("People"),
            url_name="community:person-list",
            description=_(
                "Entrepreneurs, experts and officials, their employers and consents."
            ),
        ),
        NavigationEntry(
            label=_("Communities"),
            url_name="community:community-list",
            description=_(
                "Clubs and circles of the regions' creative people, with their members."
            ),
        ),
        NavigationEntry(
            label=_("Interactions"),
            url_name="community:interaction-list",
            description=_(
                "Meetings, calls and letters with the regions, and the dialogue with "
                "the authorities."
            ),
        ),
        NavigationEntry(
            label=_("My follow-ups"),
            url_name="community:follow-up-mine",
            description=_("What you owe after the meetings, overdue first."),
        ),
        NavigationEntry(
            label=_("Import from a table"),
            url_name="community:import",
            description=_(
                "Organisations and people from CSV or XLSX, previewed row by row "
                "before anything is written."
            ),
            roles=("manager", "analyst", "partner"),
        ),
        NavigationEntry(
            label=_("Likely duplicates"),
            url_name="community:duplicate-list",
            description=_("Organisations and people recorded twice, and their merge."),
        ),
    )
    # The region passport's leaders table: who is in the community already, and
    # the buttons that add them (see views_leaders.py).
    template_extensions = (
        TemplateExtension(
            slot="research.passport.leader",
            renderer="creative_regions.community.views_leaders.leader_cell",
        ),
        TemplateExtension(
            slot="research.passport.leader-sector",
            renderer="creative_regions.community.views_leaders.leader_sector_actions",
        ),
    )
