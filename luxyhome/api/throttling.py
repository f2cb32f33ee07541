"""The API's DRF throttles, counted in fixed windows: one cache round trip per request.

DRF's own rate throttles keep the time of every request in the window and read and write that
whole list on each request: two round trips, and a list that grows with the rate allowed.
"""

from django.core.cache import cache
from rest_framework import throttling


def count_request(key: str, seconds: int) -> int | None:
    """This request's number in the window `key` names; None while the cache is down (let it through)."""
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request
        # the counter outlives its window by a whole window, so an existing one cannot expire before
        # the incr() below; the window, not the key's lifetime, decides when counting starts over
        return 1 if cache.add(key, 1, 2 * seconds) else cache.incr(key)


class FixedWindowRateThrottle(throttling.SimpleRateThrottle):
    """A SimpleRateThrottle whose history is one counter per client and window."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.wait_seconds = max(1, round((window + 1) * self.duration - now))
        count = count_request(f"{key}:{window}", self.duration)
        return count is None or count <= self.num_requests

    def wait(self) -> int:
        return self.wait_seconds


class AnonRateThrottle(FixedWindowRateThrottle, throttling.AnonRateThrottle):
    """Anonymous requests, per client address (THROTTLE_ANON)."""


class UserRateThrottle(FixedWindowRateThrottle, throttling.UserRateThrottle):
    """Signed-in requests, per user (THROTTLE_USER); anonymous ones are AnonRateThrottle's alone."""

    def get_cache_key(self, request, view) -> str | None:
        return super().get_cache_key(request, view) if request.user.is_authenticated else None
