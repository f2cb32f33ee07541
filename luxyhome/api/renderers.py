from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, declaring `charset=utf-8` in the Content-Type."""

    charset = "utf-8"
