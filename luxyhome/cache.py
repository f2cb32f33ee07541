"""Version tokens in the cache, for answers cached until something they show is written.

A cached answer's key holds the version of everything it shows; a write replaces the version,
so every answer cached before it is unreachable at once, with no key scanning.
"""

import uuid

from django.core.cache import cache
from django.db import transaction


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
