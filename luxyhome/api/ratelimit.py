"""Client identity and django-ratelimit counters for the endpoints that need tighter limits."""

import ipaddress

from django_ratelimit.core import get_usage
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    """The client's address; X-Forwarded-For counts only through TRUSTED_PROXY_COUNT proxies (DRF's
    NUM_PROXIES rule)."""
    return BaseThrottle().get_ident(request) or "unknown"


def client_ip(request) -> str:
    """The client every per-address limit and throttle counts: its address, or for IPv6 its /64
    network, which one home or one server is given whole (a client moving through its addresses
    is still one client)."""
    return client_network(client_address(request))


def client_network(address: str) -> str:
    """An address as the limits count it: an IPv4 address itself, an IPv6 one as its /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return address
    if ip.ipv4_mapped:  # a dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def rate_limit(request, *, group: str, key: str, rate: str, increment: bool = True) -> None:
    """Count this request for `key` (unless `increment` is off: only check) and raise Throttled
    (429 with Retry-After) once the count is over `rate`.

    A cache outage lets the request through (RATELIMIT_FAIL_OPEN); django-redis logs it.
    """
    usage = get_usage(request, group=group, key=lambda _group, _request: key, rate=rate, increment=increment)
    if usage is None:
        return
    count = usage["count"] if increment else usage["count"] + 1
    if count > usage["limit"]:
        raise Throttled(wait=max(usage["time_left"], 1))
