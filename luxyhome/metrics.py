"""Prometheus: the shop's own counters, the /metrics view for the scraper, an instrumented local-memory cache.

Request, database and cache metrics come from django-prometheus (middlewares, DB and cache wrappers).
"""

import glob
import hmac
import ipaddress
import os

from django.conf import settings
from django.core.cache.backends import locmem
from django.http import Http404, HttpResponse
from django_prometheus.cache.metrics import django_cache_get_total, django_cache_hits_total, django_cache_misses_total
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
    start_http_server,
)

from luxyhome.api.ratelimit import client_address

ORDERS_PLACED = Counter("luxyhome_orders_placed", "Orders placed (counted when the checkout commits).")
CHECKOUT_CONFLICTS = Counter("luxyhome_checkout_conflicts", "Checkouts refused because a product was short of stock.")
LOGINS_FAILED = Counter("luxyhome_logins_failed", "Sign-ins refused for a wrong email or password.")
RATE_LIMITED = Counter("luxyhome_rate_limited_requests", "Requests answered 429: auth rate limits and API throttles.")
PAYMENTS = Counter(
    "luxyhome_payments",
    "Payments by outcome: succeeded, failed (a declined card), refunded, amount_mismatch.",
    ["outcome"],
)
WEBHOOK_EVENTS_REJECTED = Counter(
    "luxyhome_webhook_events_rejected", "Stripe webhook requests refused: bad or old signature, or not an event."
)
TASKS = Counter(
    "luxyhome_tasks", "Background tasks run, by task and outcome (succeeded, failed, retried).", ["task", "outcome"]
)


def metrics(request):
    """The metrics of every worker, for a scraper at an allowed address or with the bearer token.

    Anyone else gets the 404 of a path that does not exist.
    """
    if not (_address_allowed(client_address(request)) or _token_presented(request)):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


def metrics_server_start(host: str, port: int) -> None:
    """Serve this process's metrics on host:port (a Celery worker: its pool's processes summed)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:  # files left by an earlier run would be summed into this one's
        os.makedirs(directory, exist_ok=True)
        for stale in glob.glob(os.path.join(directory, "*.db")):
            os.remove(stale)
    start_http_server(port, addr=host, registry=_registry())


def _registry():
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()  # several processes: sum what each one wrote
    multiprocess.MultiProcessCollector(registry)
    return registry


def _address_allowed(ip: str) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # a dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d
    return any(address in ipaddress.ip_network(allowed, strict=False) for allowed in settings.METRICS_ALLOWED_IPS)


def _token_presented(request) -> bool:
    if not settings.METRICS_TOKEN:
        return False
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), settings.METRICS_TOKEN.encode())


class LocMemCache(locmem.LocMemCache):
    """Django's local-memory cache with django-prometheus's hit and miss counters.

    Not django-prometheus's own LocMemCache: that one answers a cached False or 0 as a miss.
    """

    def get(self, key, default=None, version=None):
        django_cache_get_total.labels(backend="locmem").inc()
        value = super().get(key, self._missing_key, version)
        if value is self._missing_key:
            django_cache_misses_total.labels(backend="locmem").inc()
            return default
        django_cache_hits_total.labels(backend="locmem").inc()
        return value
