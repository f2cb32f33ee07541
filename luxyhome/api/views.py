from collections.abc import Callable
from typing import NamedTuple

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from luxyhome.cache import Lookup, lookup


class NoStoreMixin:
    """For answers with personal data: no browser, proxy or CDN may keep a copy."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class AnswerLookup(NamedTuple):
    found: Lookup  # the cached answer, if any, and the throttle counts
    wait: int | None  # seconds until the throttles let the request through; None: they do now


class CachedAnswerMixin:
    """For views that answer from the cache: the request is counted by its throttles and its cached
    answer looked up in one cache round trip, not one each. `self.cached` is that lookup, or None
    when this request's answer is not cached.

    A view that sets `cached_response` has a visitor's GET of any of its routes (no Authorization
    header) looked up before DRF starts on it (luxyhome.api.middleware.CachedAnswerMiddleware):
    `cached_response(found)` is the response when the lookup holds the answer.
    """

    cached: Lookup | None = None
    cached_response: Callable[[Lookup], HttpResponse] | None = None

    def answer_key(self, request) -> tuple[str, tuple[str, ...]] | None:
        """The cache key of this request's answer and the versions it is stored under; None: not cached."""
        return None

    def look_up_answer(self, request) -> AnswerLookup | None:
        """This request's cached answer and its throttle counts, in one round trip; None when its
        answer is never cached."""
        wanted = self.answer_key(request)
        if wanted is None:
            return None
        key, names = wanted
        counting = [
            (throttle, counter) for throttle in self.get_throttles() if (counter := throttle.counter(request, self))
        ]
        found = lookup(key, *names, counters=[counter for _, counter in counting])
        counts = zip(counting, found.counts, strict=True)
        waits = [throttle.wait() for (throttle, _), requests in counts if not throttle.allows(requests)]
        return AnswerLookup(found, max(waits, default=None))

    def check_throttles(self, request):
        # looked up already when CachedAnswerMiddleware could not answer: counted once
        looked_up = getattr(request, "answer_lookup", None) or self.look_up_answer(request)
        if looked_up is None:
            return super().check_throttles(request)
        self.cached = looked_up.found
        if looked_up.wait is not None:
            self.throttled(request, looked_up.wait)


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def api_not_found(request, *args, **kwargs):
    """Any path under /api/ that no route claims: a problem+json 404, never an HTML page."""
    raise NotFound()
