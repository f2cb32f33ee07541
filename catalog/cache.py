"""Shopper answers of the catalog API, cached as rendered JSON with their ETag under the catalog version.

Every product or category write replaces the catalog version, so no answer cached before the
write is ever served again; CACHE_TTL only bounds how long unused answers take up room. Staff
answers are never cached: they include archived products. ConditionalGetMiddleware answers 304
to an If-None-Match that names the ETag. The views look answers up with their throttle counting
(luxyhome.api.views.CachedAnswerMixin).
"""

import hashlib
from collections.abc import Callable

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers, set_response_etag

from luxyhome.api.renderers import JSONRenderer, json_response
from luxyhome.cache import Lookup, store, version_bump

# what the words of a search find: the products' names and descriptions, and which are for sale
SEARCHABLE_VERSION = "catalog:searchable"


def catalog_changed(*, searchable: bool = True) -> None:
    """Make every cached catalog answer stale; each catalog write calls it. `searchable=False` for a
    write that changes no product's words nor whether it is for sale (stock, categories): what was
    worked out about search words stays (catalog.selectors)."""
    version_bump("catalog")
    if searchable:
        version_bump(SEARCHABLE_VERSION)


def catalog_answer_key(request, name: str) -> tuple[str, tuple[str, ...]] | None:
    """Where the answer `name` to this request is cached, under the catalog version; None for staff."""
    if request.user.is_staff:
        return None
    # the answer holds absolute URLs (image_url, next), so the host and scheme are part of it
    query = sorted(request.query_params.lists())
    fingerprint = hashlib.sha256(f"{request.scheme}://{request.get_host()}?{query}".encode()).hexdigest()
    return f"catalog:{name}:{fingerprint}", ("catalog",)


def cached_answer(found: Lookup | None, build: Callable[[], dict]) -> HttpResponse:
    """The answer `found` holds (X-Cache: HIT), or `build()` the data, store and answer it (MISS).

    `found` is None for answers never cached. `build` raises for errors (400, 404), which are never cached.
    """
    if found is not None and found.value is not None:
        body, etag = found.value
        return _json(body, "HIT", etag)
    response = _json(JSONRenderer().render(build()), "MISS")
    if found is not None:
        store(found, (response.content, response["ETag"]))
    return response


def _json(body: bytes, cache_status: str, etag: str | None = None) -> HttpResponse:
    response = json_response(body)
    response["X-Cache"] = cache_status
    if etag is None:
        set_response_etag(response)
    else:
        response["ETag"] = etag
    patch_vary_headers(response, ["Authorization"])  # staff see archived products too
    return response
