from django.http import HttpResponse
from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, declaring `charset=utf-8` in the Content-Type."""

    charset = "utf-8"


def json_response(body: bytes, status: int = 200) -> HttpResponse:
    """An answer of JSON rendered earlier (and cached as bytes), with the renderer's Content-Type."""
    return HttpResponse(body, status=status, content_type=f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}")
