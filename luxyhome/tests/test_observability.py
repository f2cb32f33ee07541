"""What an operator sees: /metrics for the scraper only, the shop's counters, request ids, JSON logs, Sentry."""

import io
import json
import logging
import re

import pytest
from django.core.cache import caches
from django.db import connection
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory
from cart.tests.factories import fill_cart
from luxyhome import logs
from luxyhome.tests.test_settings import manage

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.9"
HEX32 = re.compile(r"[0-9a-f]{32}")


def counter(name: str) -> float:
    return REGISTRY.get_sample_value(f"luxyhome_{name}_total") or 0.0


@pytest.fixture
def json_log():
    """The lines the JSON formatter writes while the test runs, each parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter(json=True))
    root, level = logging.getLogger(), logging.getLogger().level
    root.addHandler(handler)
    root.setLevel(logging.INFO)  # whatever LOG_LEVEL the run has
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_metrics_from_localhost_shows_request_database_and_cache_metrics(client):
    client.get("/api/products")  # a query, a cache lookup

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    by_view = 'django_http_requests_total_by_view_transport_method_total{method="GET",transport="http",view="%s"}'
    assert by_view % "product-list" in body
    assert f'django_db_execute_total{{alias="default",vendor="{connection.vendor}"}}' in body
    assert "django_db_query_duration_seconds_bucket" in body
    assert re.search(r'^django_cache_get_total\{backend="(locmem|redis)"\} [1-9]', body, re.MULTILINE)
    assert "luxyhome_orders_placed_total" in body


def test_metrics_from_another_address_is_not_found(client):
    assert client.get("/metrics", REMOTE_ADDR=STRANGER).status_code == 404


def test_metrics_allowed_ips_take_networks(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]

    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics").status_code == 404


def test_metrics_ignores_a_forged_forwarded_for(client):
    assert client.get("/metrics", REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 404


def test_metrics_with_the_bearer_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"

    right = client.get("/metrics", REMOTE_ADDR=STRANGER, HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    wrong = client.get("/metrics", REMOTE_ADDR=STRANGER, HTTP_AUTHORIZATION="Bearer s3cret-scrape-tokeN")

    assert right.status_code == 200
    assert wrong.status_code == 404


def test_metrics_token_unset_means_no_token_access(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics", REMOTE_ADDR=STRANGER, HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_order_place_counts_an_order_placed(
    shopper_client, shopper, sofa, shipping_address, django_capture_on_commit_callbacks
):
    fill_cart(shopper, (sofa, 1))
    before = counter("orders_placed")

    with django_capture_on_commit_callbacks(execute=True):
        response = shopper_client.post("/api/orders", {"shipping_address": shipping_address})

    assert response.status_code == 201
    assert counter("orders_placed") == before + 1


def test_order_place_with_short_stock_counts_a_checkout_conflict(shopper_client, shopper, sofa, shipping_address):
    fill_cart(shopper, (sofa, sofa.stock + 1))
    before = (counter("checkout_conflicts"), counter("orders_placed"))

    response = shopper_client.post("/api/orders", {"shipping_address": shipping_address})

    assert response.status_code == 409
    assert (counter("checkout_conflicts"), counter("orders_placed")) == (before[0] + 1, before[1])


def test_login_failure_counts_a_failed_login(api_client):
    user = UserFactory()
    before = counter("logins_failed")

    wrong = api_client.post("/api/auth/login", {"email": user.email, "password": "not-it"}, format="json")
    right = api_client.post("/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json")

    assert (wrong.status_code, right.status_code) == (401, 200)
    assert counter("logins_failed") == before + 1


def test_login_rate_limit_counts_a_rate_limited_request(api_client, settings):
    settings.LOGIN_RATE = "1/m"
    before = counter("rate_limited_requests")
    body = {"email": "nobody@luxyhome.example", "password": "not-it"}

    statuses = [api_client.post("/api/auth/login", body, format="json").status_code for _ in range(2)]

    assert statuses == [401, 429]
    assert counter("rate_limited_requests") == before + 1


def test_api_throttle_counts_a_rate_limited_request(api_client, throttle_rates):
    throttle_rates(anon="1/min")
    before = counter("rate_limited_requests")

    statuses = [api_client.get("/api/products").status_code for _ in range(2)]

    assert statuses == [200, 429]
    assert counter("rate_limited_requests") == before + 1


def test_instrumented_redis_cache_still_ignores_an_outage(redis_unreachable):
    redis_unreachable("django_prometheus.cache.backends.redis.RedisCache")
    before = REGISTRY.get_sample_value("django_cache_get_fail_total", {"backend": "redis"}) or 0.0

    caches["default"].set("key", "value")
    assert caches["default"].get("key", "fallback") == "fallback"
    assert REGISTRY.get_sample_value("django_cache_get_fail_total", {"backend": "redis"}) == before + 1


def test_instrumented_locmem_cache_keeps_false_and_zero():
    cache = caches["default"]
    cache.set("denied", False)
    cache.set("count", 0)

    assert (cache.get("denied"), cache.get("count"), cache.get("absent", "fallback")) == (False, 0, "fallback")


@pytest.mark.parametrize("path", ["/healthz", "/api/nothing-here", "/no-such-page"])
def test_request_id_is_echoed_when_sent(client, path):
    response = client.get(path, HTTP_X_REQUEST_ID="lb-7f3a.2_x")

    assert response["X-Request-ID"] == "lb-7f3a.2_x"


@pytest.mark.parametrize("sent", [None, "", "has spaces", "new\nline", "x" * 129, "ünïcode"])
def test_request_id_is_generated_when_absent_or_insane(client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}

    response = client.get("/healthz", **headers)

    assert HEX32.fullmatch(response["X-Request-ID"])


def test_request_id_is_exposed_to_the_storefront(client):
    response = client.get("/api/products", HTTP_ORIGIN="http://localhost:3000")

    assert "x-request-id" in response["Access-Control-Expose-Headers"].lower()


def test_request_log_is_one_json_line_with_the_request(shopper_client, shopper, json_log):
    shopper_client.get("/api/cart?secret=1", HTTP_X_REQUEST_ID="req-42")

    [line] = [line for line in json_log() if line["logger"] == "luxyhome.request"]
    assert line["event"] == "request"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/cart", 200)
    assert (line["user_id"], line["request_id"], line["level"]) == (shopper.pk, "req-42", "info")
    assert isinstance(line["duration_ms"], float)
    assert line["timestamp"].endswith("Z")


@pytest.mark.urls("luxyhome.tests.urls")
def test_server_error_is_logged_as_one_json_line_with_its_traceback(json_log):
    client = APIClient(raise_request_exception=False)

    response = client.get("/api/test/boom", HTTP_X_REQUEST_ID="req-500")

    assert (response.status_code, response["X-Request-ID"]) == (500, "req-500")
    [error] = [line for line in json_log() if line["logger"] == "django.request"]
    assert (error["level"], error["request_id"]) == ("error", "req-500")
    assert error["exception"].startswith("Traceback")
    assert "RuntimeError: secret internals" in error["exception"]
    [request] = [line for line in json_log() if line["logger"] == "luxyhome.request"]
    assert (request["status"], request["request_id"]) == (500, "req-500")


def test_anonymous_request_logs_no_user(client, json_log):
    client.get("/healthz")

    [line] = [line for line in json_log() if line["logger"] == "luxyhome.request"]
    assert line["user_id"] is None


@pytest.mark.parametrize(("dsn", "active"), [("", "False"), ("http://key@127.0.0.1:9/1", "True")])
def test_sentry_is_on_only_with_a_dsn(dsn, active):
    script = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"

    result = manage("shell", "--no-imports", "-c", script, SENTRY_DSN=dsn, DATABASE_URL="", REDIS_URL="")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == active


def test_sentry_sends_no_personal_data_and_names_the_environment():
    script = (
        "import sentry_sdk; o = sentry_sdk.get_client().options; "
        "print(o['environment'], o['send_default_pii'], o['traces_sample_rate'])"
    )

    result = manage(
        "shell", "--no-imports", "-c", script, SENTRY_DSN="http://key@127.0.0.1:9/1", SENTRY_TRACES_SAMPLE_RATE="0.25"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["development", "False", "0.25"]
