"""The shop survives its dependencies failing: Redis down or hanging, PostgreSQL down, S3 unreachable.

Each dependency is a real server on a loopback port of its own (luxyhome/tests/servers.py), stopped
and started again while the shop serves; the settings come from the project's own settings code.
"""

import importlib
import json
import os
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import psycopg
import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.db.utils import ConnectionHandler
from django.test import Client
from django.urls import path

import luxyhome.settings as project_settings
from accounts.tests.factories import PASSWORD, UserFactory
from cart.services import cart_add
from catalog.models import Product
from catalog.tests.factories import CategoryFactory, ProductFactory
from catalog.tests.images import image_upload
from luxyhome.api.faults import as_unavailable
from luxyhome.tests.servers import AppServer, BlackHole, PostgresCluster, RedisServer, free_port, wait_for
from luxyhome.urls import handler500  # noqa: F401 - this module is also a URLconf, below
from luxyhome.urls import urlpatterns as project_urlpatterns

PROBLEM = "application/problem+json; charset=utf-8"


def project_settings_with(monkeypatch, **env) -> object:
    """The project's settings module as it reads with these environment variables."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(project_settings)


@pytest.fixture
def reload_settings_after(monkeypatch):
    yield
    monkeypatch.undo()
    importlib.reload(project_settings)


def assert_unavailable(status: int, headers, body: dict, code: str = "service_unavailable") -> None:
    assert status == 503, body
    assert headers["Content-Type"] == PROBLEM
    assert (body["status"], body["code"]) == (503, code)
    assert int(headers["Retry-After"]) >= 1


# --- Redis down ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, monkeypatch, reload_settings_after, redis_server):
    """The cache as settings.py builds it for REDIS_URL, on our own redis-server (running again afterwards)."""
    built = project_settings_with(monkeypatch, REDIS_URL=redis_server.url)
    settings.CACHES = built.CACHES
    settings.SESSION_ENGINE = built.SESSION_ENGINE
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = built.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS
    cache.clear()  # rate-limit counters and versions from an earlier test
    yield redis_server
    if redis_server.process is None:
        redis_server.start()


@pytest.mark.django_db
def test_catalog_reads_come_from_the_database_while_redis_is_down(redis_cache, api_client):
    product = ProductFactory(name="Onyx Console")
    for url in ["/api/products", f"/api/products/{product.pk}"]:
        assert api_client.get(url)["X-Cache"] == "MISS"
        assert api_client.get(url)["X-Cache"] == "HIT"

    redis_cache.stop()
    for url in ["/api/products", f"/api/products/{product.pk}"]:
        started = time.monotonic()
        response = api_client.get(url)
        assert (response.status_code, response["X-Cache"]) == (200, "MISS")
        assert time.monotonic() - started < 1  # a refused connection costs nothing
    assert response.json()["name"] == "Onyx Console"

    redis_cache.start()
    assert api_client.get("/api/products")["X-Cache"] == "MISS"
    assert api_client.get("/api/products")["X-Cache"] == "HIT"


@pytest.mark.django_db
def test_answers_are_cached_again_at_once_after_redis_restarts(redis_cache, api_client):
    assert api_client.get("/api/products")["X-Cache"] == "MISS"
    assert api_client.get("/api/products")["X-Cache"] == "HIT"

    redis_cache.stop()  # and started again before the next request: the connection kept from before is closed
    redis_cache.start()

    assert api_client.get("/api/products")["X-Cache"] == "MISS"  # Redis kept nothing
    assert api_client.get("/api/products")["X-Cache"] == "HIT"


@pytest.mark.django_db
def test_signed_in_shopper_keeps_shopping_while_redis_is_down(redis_cache, client_for, shopper, sofa, lamp):
    cart_add(user=shopper, product_id=sofa.pk)
    client = client_for(shopper)
    assert client.get("/api/cart").status_code == 200  # cached now
    assert client.get("/api/auth/me").status_code == 200

    redis_cache.stop()
    assert client.get("/api/auth/me").json()["email"] == shopper.email
    assert client.post("/api/cart/items", {"product_id": lamp.pk}, format="json").status_code == 201
    cart = client.get("/api/cart")

    assert cart.status_code == 200
    assert {item["product"]["id"] for item in cart.json()["items"]} == {sofa.pk, lamp.pk}


@pytest.mark.django_db
def test_token_logged_out_before_the_outage_stays_dead_during_it(redis_cache, api_client, shopper):
    tokens = api_client.post("/api/auth/login", {"email": shopper.email, "password": PASSWORD}).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert api_client.get("/api/auth/me").status_code == 200
    assert api_client.post("/api/auth/logout", {"refresh": tokens["refresh"]}).status_code == 204

    redis_cache.stop()

    assert api_client.get("/api/auth/me").status_code == 401  # the denylist falls back to the database
    api_client.credentials()
    assert api_client.post("/api/auth/refresh", {"refresh": tokens["refresh"]}).status_code == 401


@pytest.mark.django_db
def test_login_rate_limits_fail_open_and_log_while_redis_is_down(redis_cache, api_client, caplog):
    user = UserFactory()

    def login(password="wrong-password"):
        return api_client.post("/api/auth/login", {"email": user.email, "password": password})

    for _ in range(5):
        assert login().status_code == 401
    assert login().status_code == 429  # the limit holds while Redis is up

    redis_cache.stop()
    statuses = {login().status_code for _ in range(6)}

    assert statuses == {401}
    assert login(PASSWORD).status_code == 200
    ignored = [record for record in caplog.records if record.name.startswith("django_redis")]
    assert any(record.exc_info for record in ignored)  # the outage is in the logs, with its cause


@pytest.mark.django_db
def test_readyz_names_the_cache_while_redis_is_down_and_recovers(redis_cache, client):
    redis_cache.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unreachable"}

    redis_cache.start()
    assert client.get("/readyz").status_code == 200


# --- Hanging dependencies: short timeouts --------------------------------------------------

TIMEOUT_VARIABLES = [
    "REDIS_CONNECT_TIMEOUT",
    "REDIS_TIMEOUT",
    "DATABASE_CONNECT_TIMEOUT",
    "AWS_S3_CONNECT_TIMEOUT",
    "AWS_S3_READ_TIMEOUT",
    "EMAIL_TIMEOUT",
]


def test_every_outbound_dependency_has_short_timeouts_by_default(monkeypatch, reload_settings_after):
    for name in TIMEOUT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    built = project_settings_with(
        monkeypatch,
        REDIS_URL="redis://127.0.0.1:6379/0",
        DATABASE_URL="postgres://shop@db.internal:5432/shop",
        AWS_STORAGE_BUCKET_NAME="media",
    )
    redis = built.CACHES["default"]["OPTIONS"]
    botocore_config = built.STORAGES["default"]["OPTIONS"]["client_config"]

    assert redis["IGNORE_EXCEPTIONS"] is True
    assert redis["SOCKET_CONNECT_TIMEOUT"] <= 1
    assert redis["SOCKET_TIMEOUT"] <= 1
    assert built.DATABASES["default"]["OPTIONS"]["connect_timeout"] <= 5
    assert botocore_config.connect_timeout <= 2
    assert botocore_config.read_timeout <= 10
    assert built.EMAIL_TIMEOUT <= 10


REDIS_TIMEOUT = 0.2


@pytest.mark.django_db
def test_black_holed_redis_cannot_hang_a_request(settings, monkeypatch, reload_settings_after, api_client):
    ProductFactory()
    hole = BlackHole()
    try:
        timeouts = {"REDIS_CONNECT_TIMEOUT": str(REDIS_TIMEOUT), "REDIS_TIMEOUT": str(REDIS_TIMEOUT)}
        built = project_settings_with(monkeypatch, REDIS_URL=f"redis://127.0.0.1:{hole.port}/0", **timeouts)
        settings.CACHES = built.CACHES
        started = time.monotonic()
        response = api_client.get("/api/products")
        elapsed = time.monotonic() - started
    finally:
        hole.close()

    assert (response.status_code, response["X-Cache"]) == (200, "MISS")
    assert response.json()["count"] == 1
    # 4 cache round trips (the throttle counter with the answer, 3 for the catalog version), each cut short
    assert elapsed < 15 * REDIS_TIMEOUT


# --- S3 unreachable ------------------------------------------------------------------------

BUCKET = "luxyhome-media"


def s3_settings(settings, monkeypatch, endpoint: str) -> None:
    settings.STORAGES = project_settings_with(
        monkeypatch,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    ).STORAGES


def upload_product(client):
    CategoryFactory(slug="sofas")
    return client.post(
        "/api/products",
        {"name": "Emerald Velvet Sofa", "price": "4200.00", "category": "sofas", "image": image_upload()},
        format="multipart",
    )


@pytest.mark.django_db
def test_product_reads_need_no_s3_while_it_is_unreachable(settings, monkeypatch, reload_settings_after, api_client):
    endpoint = f"http://127.0.0.1:{free_port()}"  # nothing listens: any call would fail
    s3_settings(settings, monkeypatch, endpoint)
    product = ProductFactory(image="products/emerald.jpg")

    detail = api_client.get(f"/api/products/{product.pk}")
    listing = api_client.get("/api/products")

    assert detail.status_code == 200
    assert listing.status_code == 200
    assert detail.json()["image_url"] == f"{endpoint}/{BUCKET}/products/emerald.jpg"
    assert listing.json()["results"][0]["image_url"] == detail.json()["image_url"]


@pytest.mark.django_db
def test_upload_while_s3_is_unreachable_is_503_and_saves_nothing(
    settings, monkeypatch, reload_settings_after, client_for, staff
):
    s3_settings(settings, monkeypatch, f"http://127.0.0.1:{free_port()}")

    response = upload_product(client_for(staff))

    assert_unavailable(response.status_code, response, response.json(), code="storage_unavailable")
    assert not Product.objects.exists()


class _Failing(BaseHTTPRequestHandler):
    """An S3 endpoint that is up but failing: 503 SlowDown to everything."""

    def _fail(self):
        body = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)) if self.command != "HEAD" else "0")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_PUT = do_POST = _fail

    def log_message(self, *args):
        pass


@pytest.mark.django_db
def test_upload_while_s3_answers_5xx_is_503_and_saves_nothing(
    settings, monkeypatch, reload_settings_after, client_for, staff
):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        s3_settings(settings, monkeypatch, f"http://127.0.0.1:{server.server_address[1]}")
        response = upload_product(client_for(staff))
    finally:
        server.shutdown()
        server.server_close()

    assert_unavailable(response.status_code, response, response.json(), code="storage_unavailable")
    assert not Product.objects.exists()


# --- PostgreSQL down -----------------------------------------------------------------------


def database_down(request):
    """A plain Django view (no DRF handler around it) whose database does not answer."""
    closed = {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": free_port(), "NAME": "shop"}
    ConnectionHandler({"default": closed})["default"].ensure_connection()  # a handler of its own


urlpatterns = [path("api/test/database-down", database_down), *project_urlpatterns]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_database_unreachable_outside_drf_views_is_503_problem_json():
    response = Client(raise_request_exception=False).get("/api/test/database-down")

    assert_unavailable(response.status_code, response, response.json())


def test_only_outages_become_503():
    def wrapped(cause):
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error

    assert as_unavailable(wrapped(psycopg.OperationalError("connection refused"))) is not None
    assert as_unavailable(wrapped(psycopg.errors.AdminShutdown("terminating connection"))) is not None
    assert as_unavailable(wrapped(psycopg.errors.DeadlockDetected("deadlock detected"))) is None
    assert as_unavailable(OperationalError("no such table: catalog_product")) is None  # SQLite: a bug, not an outage
    assert as_unavailable(RuntimeError("boom")) is None


@pytest.fixture
def pg_cluster():
    if not PostgresCluster.available():
        if os.environ.get("LUXYHOME_REQUIRE_SERVICES") == "1":
            pytest.fail("initdb is missing (install PostgreSQL) but LUXYHOME_REQUIRE_SERVICES=1")
        pytest.skip("needs PostgreSQL's initdb to run a throwaway cluster")
    cluster = PostgresCluster()
    try:
        cluster.init().start()
        cluster.create_database("shop")
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def app_server_with(pg_cluster, tmp_path):
    """start(**env): the shop under gunicorn, on the throwaway cluster, with DEBUG off as deployed."""
    servers = []

    def start(**env) -> AppServer:
        env = {
            "DATABASE_URL": pg_cluster.url("shop"),
            "DJANGO_ENV": "development",
            "DEBUG": "false",
            "MEDIA_ROOT": str(tmp_path / "media"),
            **env,
        }
        server = AppServer(env, log_path=tmp_path / "gunicorn.log")
        server.manage("migrate", "--noinput")
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def app_server(app_server_with):
    return app_server_with()


def call(server: AppServer, method: str, path: str, body: dict | None = None, token: str | None = None):
    """One HTTP request to the running shop: (status, headers, parsed JSON body)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server.base_url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def test_database_outage_answers_503_and_recovers_without_a_restart(pg_cluster, app_server):
    shopper = {"name": "Ada Shopper", "email": "ada@luxyhome.example", "password": "velvet-chaise-1894"}
    status, _, signed_up = call(app_server, "POST", "/api/auth/register", shopper)
    assert status == 201
    token = signed_up["access"]
    assert call(app_server, "GET", "/api/products")[0] == 200

    pg_cluster.stop()
    status, headers, _ = call(app_server, "GET", "/api/products")
    assert (status, headers["X-Cache"]) == (200, "HIT")  # what the cache holds is still served
    requests = [
        ("GET", "/api/products?min_price=1", None, None),  # a list never counted before
        ("GET", "/api/products/1", None, None),
        ("GET", "/api/auth/me", None, token),  # the user lookup of authentication fails
        ("GET", "/api/cart", None, token),
        ("POST", "/api/auth/login", {"email": shopper["email"], "password": shopper["password"]}, None),
    ]
    for method, url, body, bearer in requests:
        started = time.monotonic()
        assert_unavailable(*call(app_server, method, url, body, bearer))
        assert time.monotonic() - started < 2
    status, _, ready = call(app_server, "GET", "/readyz")
    assert (status, ready["checks"]["database"]) == (503, "unreachable")
    assert call(app_server, "GET", "/healthz")[0] == 200

    pg_cluster.start()
    wait_for(lambda: call(app_server, "GET", "/api/products")[0] == 200, timeout=5, what="the shop to recover")
    status, _, me = call(app_server, "GET", "/api/auth/me", token=token)
    assert (status, me["email"]) == (200, shopper["email"])
    assert call(app_server, "GET", "/readyz")[0] == 200


# --- The broker down -----------------------------------------------------------------------


@pytest.fixture(params=["refusing", "hanging"])
def broker_down(request):
    """The URL of a broker that refuses connections (nothing listens), or accepts them and never answers."""
    if request.param == "refusing":
        yield f"redis://127.0.0.1:{free_port()}/0"
        return
    hole = BlackHole()
    yield f"redis://127.0.0.1:{hole.port}/0"
    hole.close()


def test_a_checkout_while_the_broker_is_down_is_placed_and_its_email_kept_for_the_sweep(
    app_server_with, broker_down, shipping_address
):
    server = app_server_with(CELERY_BROKER_URL=broker_down)
    new_product = "from catalog.tests.factories import ProductFactory; print(ProductFactory().pk)"
    product_id = int(server.manage("shell", "--no-imports", "-c", new_product))
    shopper = {"name": "Ada Shopper", "email": "ada@luxyhome.example", "password": "velvet-chaise-1894"}
    token = call(server, "POST", "/api/auth/register", shopper)[2]["access"]
    assert call(server, "POST", "/api/cart/items", {"product_id": product_id}, token)[0] == 201

    started = time.monotonic()
    status, _, order = call(server, "POST", "/api/orders", {"shipping_address": shipping_address}, token)

    assert status == 201
    assert time.monotonic() - started < 3
    owed = (
        "from outbox.models import Email; "
        "print(*Email.objects.filter(sent_at=None).order_by('id').values_list('subject', flat=True), sep='|')"
    )
    assert server.manage("shell", "--no-imports", "-c", owed).strip().split("|") == [
        "Confirm your e-mail address for Luxyhome",  # the sign-up's, kept for the sweep too
        f"Your Luxyhome order {order['number']} is confirmed",
    ]
    assert "Could not send the task outbox.tasks.email_send" in server.log_path.read_text()
