"""The landing page, health probes, and Django's error handlers made API-aware."""

import sys
import uuid

from django.core.cache import cache
from django.db import Error, connection
from django.http import JsonResponse
from django.views import defaults
from django.views.generic import TemplateView

from luxyhome.api.exceptions import problem_json_response
from luxyhome.api.faults import as_unavailable


class LandingView(TemplateView):
    template_name = "landing.html"


def healthz(request):
    """The process is up and serving."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Ready for traffic: the database and the cache both answer; else 503 naming the one that does not."""
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    ready = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {name: "ok" if up else "unreachable" for name, up in checks.items()},
        },
        status=200 if ready else 503,
    )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Error:  # InterfaceError too: a connection lost under us
        return False


def _cache_answers() -> bool:
    # the cache swallows its own errors (IGNORE_EXCEPTIONS), so only a round trip tells
    key, value = f"readyz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=5)
    answered = cache.get(key) == value
    cache.delete(key)
    return answered


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception):
    if _is_api(request):
        return problem_json_response(400, "bad_request", "The request could not be understood.")
    return defaults.bad_request(request, exception)


def server_error(request):
    if _is_api(request):
        # reached for errors outside DRF views too (middleware, a session or user lookup)
        if unavailable := as_unavailable(sys.exc_info()[1]):
            response = problem_json_response(503, unavailable.default_code, str(unavailable.detail))
            response["Retry-After"] = str(unavailable.wait)
            return response
        return problem_json_response(500, "server_error", "Something went wrong on our side; it has been logged.")
    return defaults.server_error(request)
