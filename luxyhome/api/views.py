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


class CachedAnswerMixin:
    """For views that answer from the cache: the request is counted by its throttles and its cached
    answer looked up in one cache round trip, not one each. `self.cached` is that lookup, or None
    when this request's answer is not cached."""

    cached: Lookup | None = None

    def answer_key(self, request) -> tuple[str, tuple[str, ...]] | None:
        """The cache key of this request's answer and the versions it is stored under; None: not cached."""
        return None

    def check_throttles(self, request):
        wanted = self.answer_key(request)
        if wanted is None:
            return super().check_throttles(request)
        key, names = wanted
        counting = [
            (throttle, counter) for throttle in self.get_throttles() if (counter := throttle.counter(request, self))
        ]
        self.cached = lookup(key, *names, counters=[counter for _, counter in counting])
        counts = zip(counting, self.cached.counts, strict=True)
        waits = [throttle.wait() for (throttle, _), requests in counts if not throttle.allows(requests)]
        if waits:
            self.throttled(request, max(waits))


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def api_not_found(request, *args, **kwargs):
    """Any path under /api/ that no route claims: a problem+json 404, never an HTML page."""
    raise NotFound()
