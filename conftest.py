"""Fixtures shared by every app's tests."""

import os
from decimal import Decimal

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from rest_framework.test import APIClient

from accounts.services import tokens_for
from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from luxyhome.api.throttling import FixedWindowRateThrottle


@pytest.fixture(scope="session", autouse=True)
def _required_services(django_db_blocker):
    """With LUXYHOME_REQUIRE_SERVICES=1 (CI) the run stops at once unless PostgreSQL and Redis
    are the configured backends and both answer: a missing service never passes silently."""
    if os.environ.get("LUXYHOME_REQUIRE_SERVICES") != "1":
        return
    problems = []
    if connection.vendor != "postgresql":
        problems.append(f"the database is {connection.vendor}, not PostgreSQL (set DATABASE_URL)")
    else:
        with django_db_blocker.unblock():
            try:
                connection.ensure_connection()
            except Exception as error:
                problems.append(f"PostgreSQL does not answer: {error}")
    if not isinstance(caches["default"], RedisCache):  # django-prometheus's RedisCache is one too
        problems.append("the cache is not Redis (set REDIS_URL)")
    else:
        try:
            get_redis_connection("default").ping()
        except Exception as error:
            problems.append(f"Redis does not answer: {error}")
    if problems:
        pytest.exit("LUXYHOME_REQUIRE_SERVICES=1 but " + "; ".join(problems), returncode=3)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and the denylist mirror must not leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _temporary_media_root(settings, tmp_path):
    """Uploads in tests land in a temporary folder, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """bcrypt at its lowest cost: same algorithm, a fraction of the time."""
    if "real_password_hashing" not in request.keywords:
        settings.PASSWORD_HASHERS = ["luxyhome.tests.hashers.FastBCryptSHA256PasswordHasher"]


@pytest.fixture
def postgresql(db):
    """For behaviour only PostgreSQL has (full-text search, row locks). Skipped, visibly, on SQLite
    runs; CI sets LUXYHOME_REQUIRE_SERVICES=1, which refuses to run anywhere but on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def redis_cache():
    """The Redis client behind the cache, for behaviour only Redis has (key lifetimes). Skipped,
    visibly, when the cache is local memory; CI (LUXYHOME_REQUIRE_SERVICES=1) always has Redis."""
    if not isinstance(caches["default"], RedisCache):
        pytest.skip("needs Redis (set REDIS_URL)")
    return get_redis_connection("default")


@pytest.fixture
def throttle_rates(monkeypatch):
    """Sets the API throttles' rates for one test: throttle_rates(anon="2/min")."""

    def set_rates(**rates):
        rates = {**FixedWindowRateThrottle.THROTTLE_RATES, **rates}
        monkeypatch.setattr(FixedWindowRateThrottle, "THROTTLE_RATES", rates)

    return set_rates


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def shopper(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def sofa(db):
    return ProductFactory(name="Emerald Velvet Sofa", price=Decimal("4200.00"), stock=3)


@pytest.fixture
def lamp(db):
    return ProductFactory(name="Brass Arc Floor Lamp", price=Decimal("1890.50"), stock=10)


@pytest.fixture
def client_for():
    """A new API client signed in as `user` (each call: its own client, as a second browser)."""

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for(user)['access']}")
        return client

    return make


@pytest.fixture
def shopper_client(client_for, shopper):
    return client_for(shopper)
