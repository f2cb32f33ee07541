"""Stripe, through its official SDK: one client per process, amounts in the currency's smallest unit."""

import logging
from contextlib import contextmanager
from decimal import Decimal
from functools import cache

import stripe
from django.conf import settings

from payments.exceptions import PaymentProviderUnavailable, PaymentsUnavailable

logger = logging.getLogger(__name__)

# currencies Stripe counts in whole units (its list of zero-decimal currencies)
ZERO_DECIMAL = {
    "BIF",
    "CLP",
    "DJF",
    "GNF",
    "JPY",
    "KMF",
    "KRW",
    "MGA",
    "PYG",
    "RWF",
    "UGX",
    "VND",
    "VUV",
    "XAF",
    "XOF",
    "XPF",
}


def client() -> stripe.StripeClient:
    """The Stripe client. Raises PaymentsUnavailable when no secret key is configured."""
    if not settings.STRIPE_SECRET_KEY:
        raise PaymentsUnavailable()
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


@cache
def _client(secret_key: str, api_base: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base} if api_base else None,
        # no automatic retries: every write carries its own idempotency key and is retried by us
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=(settings.STRIPE_CONNECT_TIMEOUT, settings.STRIPE_READ_TIMEOUT)),
    )


@contextmanager
def provider_errors():
    """Any failure to get an answer from Stripe, as PaymentProviderUnavailable (logged: it may be ours)."""
    try:
        yield
    except stripe.StripeError as error:
        logger.warning("Stripe failed: %r", error)
        raise PaymentProviderUnavailable() from error


def minor_units(amount: Decimal, currency: str) -> int:
    """An amount in the currency's smallest unit, as Stripe counts it: USD 1299.00 → 129900."""
    return int(amount if currency.upper() in ZERO_DECIMAL else amount * 100)
