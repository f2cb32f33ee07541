"""DRF's parsers, hardened: hostile bodies are 4xx problems, never a 500 or a quiet misreading."""

import io
import re

from django.utils.http import parse_header_parameters
from rest_framework import parsers
from rest_framework.exceptions import ParseError, UnsupportedMediaType

UTF8 = {"utf-8", "utf8"}
EMPTY_FORM = re.compile(rb"\s*(--[^\r\n]*--\s*)?")  # nothing, or just the closing delimiter


def _require_utf8(media_type: str | None) -> None:
    """JSON is UTF-8 (RFC 8259) and so are our forms: another declared charset is a 415."""
    _, params = parse_header_parameters(media_type or "")
    charset = params.get("charset")
    if charset is not None and charset.strip().lower() not in UTF8:
        raise UnsupportedMediaType(media_type)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; JSON nested deeper than Python decodes is a 400 (DRF: a RecursionError, 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        _require_utf8(media_type)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, refusing a body with parts but no named field, which Django would
    quietly read as an empty form (RFC 7578: each part names its field in a Content-Disposition)."""

    def parse(self, stream, media_type=None, parser_context=None):
        _require_utf8(media_type)
        body = stream.read()  # at most MAX_REQUEST_BODY_SIZE: RequestSizeLimitMiddleware saw to that
        parsed = super().parse(io.BytesIO(body), media_type, parser_context)
        if not parsed.data and not parsed.files and not EMPTY_FORM.fullmatch(body):
            raise ParseError("Multipart form parse error - no part names a field.")
        return parsed
