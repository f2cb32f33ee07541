"""Version tokens in the cache, for answers cached until something they show is written.

A cached answer is stored with the versions of everything it shows and is only used while they
are still current; a write replaces a version, so every answer cached before it goes stale at
once, with no key scanning. The next build overwrites the stale answer in place.
"""

import uuid
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction


class Lookup(NamedTuple):
    value: Any  # None unless stored under the current versions
    stamp: list[str] | None  # the current versions, to store a new value under; None: the cache is down


def lookup(key: str, *names: str) -> Lookup:
    """What `key` holds if it was stored under the current versions of `names`: one round trip."""
    version_keys = [f"version:{name}" for name in names]
    found = cache.get_many([*version_keys, key])
    if len(found.keys() & set(version_keys)) < len(version_keys):
        return Lookup(None, versions(*names))
    stamp = [found[version_key] for version_key in version_keys]
    stamped, value = found.get(key, (None, None))
    return Lookup(value if stamped == stamp else None, stamp)


def store(key: str, stamp: list[str] | None, value: Any) -> None:
    """Keep `value` under the versions a lookup() read before it was built; nothing while the cache is down."""
    if stamp is not None:
        cache.set(key, (stamp, value), timeout=settings.CACHE_TTL)


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
    """Replace the version now, and again when the transaction commits: an answer rebuilt from
    pre-commit data in between is cached under a version that the commit retires."""

    def bump():
        cache.set(f"version:{name}", uuid.uuid4().hex, timeout=None)

    bump()
    transaction.on_commit(bump)
