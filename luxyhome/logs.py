"""Structured logs: one formatter for every logger (JSON or text), a request id, one line per request."""

import logging
import re
import time
import uuid

import sentry_sdk
import structlog
from django.utils.functional import SimpleLazyObject, empty

REQUEST_ID_HEADER = "X-Request-ID"
# an id from the client or a proxy is kept only if it cannot forge log lines or bloat them
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

request_logger = logging.getLogger("luxyhome.request")


def formatter(*, json: bool) -> logging.Formatter:
    """The formatter of the console handler: a JSON object a line (a traceback is one field of it), or text."""
    pre_chain = [
        structlog.contextvars.merge_contextvars,  # the request id, on every line logged while it is served
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    if json:
        renderer = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    else:
        renderer = [structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=pre_chain,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )


class RequestLogMiddleware:
    """Give the request an id, put it on every log line meanwhile and on the response, and log
    one line when the request is answered: method, path, status, duration_ms, user_id, request_id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id(request)
        sentry_sdk.set_tag("request_id", request_id)  # error reports and log lines share the id
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            response = self.get_response(request)
            request_logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,  # no query string: it may carry personal data
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
        response[REQUEST_ID_HEADER] = request_id
        return response


def _request_id(request) -> str:
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    return sent if SANE_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


def _user_id(request):
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None  # nothing looked the user up; a session lookup just for the log line is not worth it
    return getattr(user, "pk", None)
