"""Content negotiation for an API that speaks JSON only."""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


def states_no_preference(request) -> bool:
    """Whether the request takes any format (no Accept header or `*/*`, and no `?format=`): it gets
    the first renderer's, JSON, as DRF's negotiation would give it."""
    return request.META.get("HTTP_ACCEPT", "*/*") == "*/*" and api_settings.URL_FORMAT_OVERRIDE not in request.GET


class JSONContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, skipped for the usual request that states no preference."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if not format_suffix and states_no_preference(request):
            renderer = renderers[0]
            return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
