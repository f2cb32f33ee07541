"""The API's DRF throttles, counted in fixed windows: one counter per client and window.

DRF's own rate throttles keep the time of every request in the window and read and write that
whole list on each request: two round trips, and a list that grows with the rate allowed. These
add one to a counter, in a round trip of its own or in the one that looks up a cached answer
(luxyhome.api.views.CachedAnswerMixin).
"""

from rest_framework import throttling

from luxyhome.api.ratelimit import client_ip
from luxyhome.cache import Counter, count


class FixedWindowRateThrottle(throttling.SimpleRateThrottle):
    """A SimpleRateThrottle whose history is one counter per client and window."""

    def counter(self, request, view) -> Counter | None:
        """The counter of this request's client in the current window; None when this throttle
        does not count the request."""
        if self.rate is None:
            return None
        key = self.get_cache_key(request, view)
        if key is None:
            return None
        now = self.timer()
        window = int(now // self.duration)
        self.wait_seconds = max(1, round((window + 1) * self.duration - now))
        return f"{key}:{window}", self.duration

    def get_ident(self, request) -> str:
        return client_ip(request)  # an IPv6 client is its /64, as for the rate limits

    def allows(self, requests: int | None) -> bool:
        """Whether the window's `requests`-th request gets through; every one does while the cache is down."""
        return requests is None or requests <= self.num_requests

    def allow_request(self, request, view) -> bool:
        counter = self.counter(request, view)
        return counter is None or self.allows(count(counter))

    def wait(self) -> int:
        return self.wait_seconds


class AnonRateThrottle(FixedWindowRateThrottle, throttling.AnonRateThrottle):
    """Anonymous requests, per client address (THROTTLE_ANON)."""


class UserRateThrottle(FixedWindowRateThrottle, throttling.UserRateThrottle):
    """Signed-in requests, per user (THROTTLE_USER); anonymous ones are AnonRateThrottle's alone."""

    def get_cache_key(self, request, view) -> str | None:
        return super().get_cache_key(request, view) if request.user.is_authenticated else None
