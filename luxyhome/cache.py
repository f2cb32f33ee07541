"""Version tokens in the cache, for answers cached until something they show is written, and the
request counters of the API throttles.

A cached answer is stored with the versions of everything it shows and is only used while they
are still current; a write replaces a version, so every answer cached before it goes stale at
once, with no key scanning. The next build overwrites the stale answer in place.

A lookup counts the request against its throttles in the same round trip (a redis-py pipeline):
under load each round trip costs about as much as the rest of a cached answer.
"""

import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from redis import exceptions as redis_errors

Counter = tuple[str, int]  # a counter's key, and how many seconds it counts for
# what a round trip raises while Redis is down or hangs: the request goes on without the cache
_REDIS_DOWN = (redis_errors.ConnectionError, redis_errors.TimeoutError)


class Lookup(NamedTuple):
    key: str
    value: Any  # None unless stored under the current versions
    stamp: list[str] | None  # the current versions, to store a new value under; None: the cache is down
    counts: list[int | None]  # each counter after adding this request; None while the cache is down


def lookup(key: str, *names: str, counters: Sequence[Counter] = ()) -> Lookup:
    """What `key` holds if it was stored under the current versions of `names`, and each of
    `counters` after adding one: in one round trip."""
    version_keys = [f"version:{name}" for name in names]
    counts, found = _count_and_get(counters, [*version_keys, key])
    if len(found.keys() & set(version_keys)) < len(version_keys):
        return Lookup(key, None, versions(*names), counts)
    stamp = [found[version_key] for version_key in version_keys]
    stamped, value = found.get(key, (None, None))
    return Lookup(key, value if stamped == stamp else None, stamp, counts)


def store(found: Lookup, value: Any) -> None:
    """Keep `value` under the versions `found` read before it was built; nothing while the cache is down."""
    if found.stamp is not None:
        cache.set(found.key, (found.stamp, value), settings.CACHE_TTL)


def count(counter: Counter) -> int | None:
    """Add one to a request counter; its new value, or None while the cache is down."""
    return _count_and_get([counter], [])[0][0]


def versions(*names: str) -> list[str] | None:
    """The current version of each name, in one round trip; None while the cache is unreachable."""
    keys = [f"version:{name}" for name in names]
    found = cache.get_many(keys)
    if len(found) < len(keys):  # first use, evicted, or the cache is down
        for key in keys:
            cache.add(key, uuid.uuid4().hex, timeout=None)
        found = cache.get_many(keys)
        if len(found) < len(keys):
            return None
    return [found[key] for key in keys]


def version_bump(name: str) -> None:
    """Replace the version when the transaction commits: every answer cached before then, from the
    data as it was, goes stale at once. Inside a larger transaction, replace it now as well: the
    rest of that transaction reads the write, and must not be answered from before it."""

    def bump():
        cache.set(f"version:{name}", uuid.uuid4().hex, timeout=None)

    if transaction.get_connection().savepoint_ids:  # in an atomic block nested in another
        bump()
    transaction.on_commit(bump)


def _count_and_get(counters: Sequence[Counter], keys: list[str]) -> tuple[list[int | None], dict]:
    # A counter lives two of its windows, so it cannot expire between two requests of one window:
    # the window, not the key's lifetime, decides when counting starts over.
    if not isinstance(caches["default"], RedisCache):  # local memory, in development: no round trips to save
        return [_count_apart(key, seconds) for key, seconds in counters], cache.get_many(keys)
    pipeline = get_redis_connection("default").pipeline(transaction=False)
    for key, seconds in counters:
        counter_key = cache.make_key(key)
        pipeline.incr(counter_key)
        pipeline.expire(counter_key, 2 * seconds, nx=True)
    if keys:
        pipeline.mget([cache.make_key(key) for key in keys])
    try:
        replies = pipeline.execute()
    except _REDIS_DOWN:  # let the request through, build the answer
        return [None] * len(counters), {}
    values = replies[-1] if keys else []
    found = {key: cache.client.decode(value) for key, value in zip(keys, values, strict=True) if value is not None}
    return replies[: 2 * len(counters) : 2], found


def _count_apart(key: str, seconds: int) -> int:
    """A counter in a cache other than Redis (local memory, in development)."""
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request
        return 1 if cache.add(key, 1, 2 * seconds) else cache.incr(key)
