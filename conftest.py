"""Fixtures shared by every app's tests."""

import os
import time
from decimal import Decimal

import pytest
import pytest_asyncio
from celery import signals
from celery.contrib.testing.worker import start_worker
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache, caches
from django.db import connection, connections
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from rest_framework.test import APIClient

from accounts.services import tokens_for
from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from luxyhome.api.throttling import FixedWindowRateThrottle
from luxyhome.celery import app as celery_app
from luxyhome.tests.servers import SocketServer
from orders.tests.factories import SHIPPING_ADDRESS


@pytest.fixture(scope="session", autouse=True)
def _required_services(django_db_blocker):
    """With LUXYHOME_REQUIRE_SERVICES=1 (CI) the run stops at once unless PostgreSQL and Redis
    are the configured backends and both answer, and tasks have a broker: a missing service never
    passes silently."""
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
    if not settings.CELERY_BROKER_URL:
        problems.append("no Celery broker is configured (set REDIS_URL or CELERY_BROKER_URL)")
    if problems:
        pytest.exit("LUXYHOME_REQUIRE_SERVICES=1 but " + "; ".join(problems), returncode=3)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and the denylist mirror must not leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in the test's thread as they are sent after commit, as with no broker configured;
    a test that takes `celery_worker` sends them to a real worker instead."""
    if "celery_worker" in request.fixturenames:
        yield
        return
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (solo pool, in a thread) on the configured broker: Redis when REDIS_URL is
    set (CI), else Kombu's in-memory broker. Its tasks see only committed rows, hence transactional_db,
    and PostgreSQL: SQLite's shared in-memory test database locks its tables across threads."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.update(task_always_eager=False, broker_url=settings.CELERY_BROKER_URL or "memory://")

    def close_connections(**kwargs):  # the worker thread's own: else the test database cannot be dropped
        connections.close_all()

    signals.task_postrun.connect(close_connections)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        signals.task_postrun.disconnect(close_connections)
        celery_app.conf.update(task_always_eager=eager, broker_url=broker)


@pytest_asyncio.fixture
async def socket_db(transactional_db):
    """The database for in-process socket tests: committed rows, as the consumers' threads see them.
    Those threads' connections are closed after, or the test database could not be dropped."""
    yield
    await database_sync_to_async(connections.close_all)()


@pytest.fixture(scope="session")
def socket_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """uvicorn serving the sockets from the test database and Redis, for the whole run. PostgreSQL and
    Redis only: another process cannot share an in-memory database or channel layer."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL)")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        f"?application_name={SocketServer.DATABASE_APPLICATION_NAME}"
    )
    log_path = tmp_path_factory.mktemp("ws") / "uvicorn.log"
    server = SocketServer({"DATABASE_URL": database_url, "REDIS_URL": settings.REDIS_URL}, log_path=log_path)
    yield server.start()
    server.stop()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block's on-commit callbacks (tasks sent), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def wait_until():
    """wait_until(condition, seconds=10): polls until `condition()` is true; fails the test if it never is."""

    def wait(condition, seconds: float = 10):
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"still not true after {seconds} s: {condition.__doc__ or condition}")
            time.sleep(0.05)

    return wait


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
def redis_unreachable(settings):
    """redis_unreachable(): from this call on, the cache is a Redis on a port where nothing listens, as in
    an outage; redis_unreachable(backend) for another django-redis backend (django-prometheus's)."""

    def cut(backend: str = "django_redis.cache.RedisCache"):
        settings.CACHES = {
            "default": {
                "BACKEND": backend,
                "LOCATION": "redis://127.0.0.1:9/0",  # discard port: nothing listens
                "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
            }
        }

    return cut


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
    """A staff member as the README has a shop set one up: no superuser, in the admin's groups
    "Catalog managers" (every catalog permission) and "Order handlers" (every orders one)."""
    user = UserFactory(is_staff=True)
    for name, app_label in [("Catalog managers", "catalog"), ("Order handlers", "orders")]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label=app_label))
        user.groups.add(group)
    return user


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


@pytest.fixture
def staff_client(client_for, staff):
    return client_for(staff)


@pytest.fixture
def browser(client, db):
    """The admin in Django's test client, signed in as a superuser."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def shipping_address():
    """A valid address, all seven fields as order_place takes them: the test's own copy, free to change."""
    return dict(SHIPPING_ADDRESS)
