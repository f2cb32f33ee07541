"""Shopper answers of the catalog API, cached as rendered JSON with their ETag under the catalog version,
and each product's part of a list page, cached under that product's revision.

Every product or category write replaces the catalog version, so no answer cached before the
write is ever served again; CACHE_TTL bounds how long any answer is kept. Staff pages and details
are never cached whole: they include archived products. ConditionalGetMiddleware answers 304 to
an If-None-Match that names the ETag. The views look answers up with their throttle counting
(luxyhome.api.views.CachedAnswerMixin).

A list page the cache does not hold (a search, a filter seen for the first time, any page after
an order changed some stock) reads only its products' revisions from the database, and takes
each product's answer from the cache: a product's answer changes only with its own revision, so
an order or a write leaves every other product's answer in use.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers, set_response_etag

from catalog.models import Product
from catalog.serializers import ProductSerializer
from luxyhome.api.renderers import JSONRenderer, json_response
from luxyhome.cache import Lookup, store, version_bump

# what the words of a search find: the products' names and descriptions, and which are for sale
SEARCHABLE_VERSION = "catalog:searchable"

# What a product's answer shows changes only with one of these: every product write saves
# updated_at (its image and category too), and so does a write to its category (catalog.services),
# an order or its cancellation changes the stock with an UPDATE that leaves updated_at, and deleting
# its category clears category_id. Not the category's own columns: a join to them before the page's
# sort costs a search at 100,000 products a tenth of its database time.
PRODUCT_REVISION = ("id", "updated_at", "stock", "category_id")


def catalog_changed(*, searchable: bool = True) -> None:
    """Make every cached catalog answer stale; each catalog write calls it. `searchable=False` for a
    write that changes no product's words nor whether it is for sale (stock, categories): what was
    worked out about search words stays (catalog.selectors)."""
    version_bump("catalog")
    if searchable:
        version_bump(SEARCHABLE_VERSION)


def catalog_answer_key(request, name: str, parameters: Iterable[str] = ()) -> tuple[str, tuple[str, ...]] | None:
    """Where the answer `name` to this request is cached, under the catalog version; None for staff.
    Of the query string only `parameters` make the key: others change nothing in the answer, and
    must not make new entries."""
    if request.user.is_staff:
        return None
    query = sorted((parameter, request.query_params.getlist(parameter)) for parameter in parameters)
    fingerprint = hashlib.sha256(f"{_origin(request)}?{query}".encode()).hexdigest()
    return f"catalog:{name}:{fingerprint}", ("catalog",)


def cached_answer(found: Lookup | None, build: Callable[[], bytes]) -> HttpResponse:
    """The answer `found` holds (X-Cache: HIT), or `build()` its JSON, store and answer it (MISS).

    `found` is None for answers never cached. `build` raises for errors (400, 404), which are never cached.
    """
    if found is not None and found.value is not None:
        body, etag = found.value
        return _json(body, "HIT", etag)
    response = _json(build(), "MISS")
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


def product_answers(request, revisions: list[tuple]) -> list[bytes]:
    """The JSON of each product of `revisions` (rows of PRODUCT_REVISION), in their order.

    Taken from the cache in one round trip; those it lacks are built in one query and kept. The
    key of a built answer is the revision of the row it was built from, which may be newer than
    the one asked for: an answer is never kept under a revision it does not show.
    """
    origin = _origin(request)
    keys = {revision[0]: _product_answer_key(origin, revision) for revision in revisions}
    cached = cache.get_many(list(keys.values()))
    answers = {product_id: cached[key] for product_id, key in keys.items() if key in cached}
    missing = [product_id for product_id in keys if product_id not in answers]
    if missing:
        products = list(Product.objects.select_related("category").filter(pk__in=missing).order_by())  # in any order
        data = ProductSerializer(products, many=True, context={"request": request}).data
        built = {product.pk: JSONRenderer().render(item) for product, item in zip(products, data, strict=True)}
        answers.update(built)
        kept = {_product_answer_key(origin, _revision(product)): built[product.pk] for product in products}
        cache.set_many(kept, settings.CACHE_TTL)
    return [answers[product_id] for product_id in keys if product_id in answers]  # a deleted one is left out


def page_answer(paginator, answers: list[bytes]) -> bytes:
    """A page's JSON: the paginator's count and links, and the products' answers as its results."""
    envelope = JSONRenderer().render(paginator.get_paginated_response([]).data)
    head, _, tail = envelope.rpartition(b"[]")  # the empty results, the envelope's last member
    return head + b"[" + b",".join(answers) + b"]" + tail


def _origin(request) -> str:
    """Part of every cached answer's key: answers hold absolute URLs (image_url, next)."""
    return f"{request.scheme}://{request.get_host()}"


def _revision(product: Product) -> tuple:
    """A product's values of PRODUCT_REVISION, as the page's query reads them."""
    return tuple(getattr(product, field) for field in PRODUCT_REVISION)


def _product_answer_key(origin: str, revision: tuple) -> str:
    fingerprint = hashlib.sha256(f"{origin}|{revision}".encode()).hexdigest()
    return f"catalog:product-answer:{revision[0]}:{fingerprint}"
