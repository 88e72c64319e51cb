"""Views that serve a page and its HTMX fragment from one URL."""

from django.utils.cache import patch_vary_headers


class HtmxPartialMixin:
    """One URL for a page and its fragment: an HTMX request (not boosted) gets
    ``partial_template_name``, every other request the whole page — a history
    restore too (Back after the browser dropped its copy of the page). ``Vary``
    keeps the browser from showing a cached fragment as a page after Back."""

    partial_template_name: str

    def get_template_names(self) -> list[str]:
        htmx = self.request.htmx
        if htmx and not htmx.boosted and not htmx.history_restore_request:
            return [self.partial_template_name]
        return super().get_template_names()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response
