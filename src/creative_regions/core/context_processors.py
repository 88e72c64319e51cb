from django.http import HttpRequest
from django.urls import reverse

from creative_regions.core.navigation import navigation_groups_for


def navigation(request: HttpRequest) -> dict:
    """The top bar: per app a link, or a menu when the app has several pages;
    the entry of the current page is marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    menu = []
    for group in navigation_groups_for(user):
        links = [
            {"label": entry.label, "url": reverse(entry.url_name)}
            for entry in group.entries
        ]
        for link in links:
            link["active"] = request.path == link["url"]
        menu.append(
            {
                "label": group.label,
                "links": links,
                "active": any(link["active"] for link in links),
            }
        )
    return {"navigation": menu}
