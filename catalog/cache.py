"""Shopper answers of the catalog API, cached as rendered JSON under the catalog version.

Every product or category write replaces the catalog version, so no answer cached before
the write is ever found again; CACHE_TTL only bounds how long unused answers take up room.
Staff answers are never cached: they include archived products.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from luxyhome.api.renderers import JSONRenderer
from luxyhome.cache import version_bump, versions


def catalog_version() -> str | None:
    """The current catalog version; None while the cache is unreachable (then nothing is cached)."""
    found = versions("catalog")
    return found and found[0]


def catalog_changed() -> None:
    """Make every cached catalog answer unreachable; each catalog write calls it."""
    version_bump("catalog")


def cached_answer(request, name: str, build: Callable[[], dict]) -> HttpResponse:
    """Answer from the cache (X-Cache: HIT), or `build()` the data, store and answer it (MISS).

    `build` raises for errors (400, 404), which are never cached.
    """
    key = None if request.user.is_staff else _key(request, name)
    if key is not None:
        body = cache.get(key)
        if body is not None:
            return _json(body, "HIT")
    body = JSONRenderer().render(build())
    if key is not None:
        cache.set(key, body, timeout=settings.CACHE_TTL)
    return _json(body, "MISS")


def _key(request, name: str) -> str | None:
    version = catalog_version()
    if version is None:
        return None
    # the answer holds absolute URLs (image_url, next), so the host and scheme are part of it
    query = sorted(request.query_params.lists())
    fingerprint = hashlib.sha256(f"{request.scheme}://{request.get_host()}?{query}".encode()).hexdigest()
    return f"catalog:{version}:{name}:{fingerprint}"


def _json(body: bytes, cache_status: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["X-Cache"] = cache_status
    return response
