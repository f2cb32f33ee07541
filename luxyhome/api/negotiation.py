"""Content negotiation for an API that speaks JSON only."""

from rest_framework.negotiation import DefaultContentNegotiation


class JSONContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, skipped for the usual request that states no preference: no Accept
    header and no `?format=` get the first renderer, as DRF would give them."""

    def select_renderer(self, request, renderers, format_suffix=None):
        asked = request.META.get("HTTP_ACCEPT") or self.settings.URL_FORMAT_OVERRIDE in request.query_params
        if not (format_suffix or asked):
            renderer = renderers[0]
            return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
