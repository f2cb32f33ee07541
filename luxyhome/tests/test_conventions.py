"""The API conventions every endpoint shares: problem+json errors, slashes, charset, pagination, sizes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from luxyhome.api.throttling import FixedWindowRateThrottle

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json; charset=utf-8"


def assert_problem(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"]
    assert body["detail"]
    return body


def test_400_validation_error_names_the_fields(api_client):
    body = assert_problem(api_client.post("/api/auth/login", {"email": "x"}, format="json"), 400, "validation_error")

    assert set(body["errors"]) == {"email", "password"}
    assert all(isinstance(messages, list) for messages in body["errors"].values())


def test_400_malformed_json(api_client):
    response = api_client.post("/api/auth/login", '{"email": ', content_type="application/json")

    assert_problem(response, 400, "parse_error")


def test_400_body_that_is_not_an_object(api_client):
    response = api_client.post("/api/auth/login", "[1, 2]", content_type="application/json")

    body = assert_problem(response, 400, "validation_error")
    assert "non_field_errors" in body["errors"]


def test_401_problem_with_challenge(api_client):
    response = api_client.get("/api/auth/me")

    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.urls("luxyhome.tests.urls")
def test_403_for_a_shopper_on_a_staff_endpoint(shopper_client):
    assert_problem(shopper_client.get("/api/test/staff-only"), 403, "permission_denied")


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/auth/nothing/deeper/", "/api/"])
def test_404_unknown_api_path_is_problem_json(api_client, path):
    for method in ("get", "post", "delete"):
        assert_problem(getattr(api_client, method)(path), 404, "not_found")


def test_405_wrong_method(api_client):
    response = api_client.get("/api/auth/login")

    assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/*;q=0.5, text/html"])
def test_json_for_any_client_that_takes_it(api_client, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}

    response = api_client.get("/api/products", **headers)

    assert (response.status_code, response["Content-Type"]) == (200, "application/json; charset=utf-8")


@pytest.mark.parametrize(
    ("query", "accept", "status", "code"),
    [("", "text/html", 406, "not_acceptable"), ("?format=xml", None, 404, "not_found")],
)
def test_406_or_404_for_a_client_that_takes_no_json(api_client, query, accept, status, code):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}

    assert_problem(api_client.get(f"/api/products{query}", **headers), status, code)


def test_415_form_body_on_a_json_endpoint(api_client):
    response = api_client.post("/api/auth/login", {"email": "a@b.example", "password": "x"}, format="multipart")

    assert_problem(response, 415, "unsupported_media_type")


def test_413_json_body_over_the_limit(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"email": "' + "a" * 2048 + '@luxyhome.example", "password": "x"}'

    assert_problem(api_client.post("/api/auth/login", body, content_type="application/json"), 413, "payload_too_large")


def test_413_upload_over_the_limit(api_client, settings):
    settings.MAX_REQUEST_BODY_SIZE = 4096
    upload = SimpleUploadedFile("sofa.jpg", b"\xff" * 8192, content_type="image/jpeg")

    response = api_client.post("/api/auth/register", {"image": upload}, format="multipart")

    assert_problem(response, 413, "payload_too_large")


def test_429_throttled_with_retry_after(api_client, throttle_rates):
    throttle_rates(anon="2/min")
    for _ in range(2):
        api_client.get("/api/nothing-here")

    response = api_client.get("/api/nothing-here", HTTP_X_FORWARDED_FOR="198.51.100.7")  # a forged hop changes nothing

    assert_problem(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_anonymous_throttle_counts_each_client_address(api_client, throttle_rates, settings):
    throttle_rates(anon="2/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}  # one proxy in front
    statuses = [api_client.get("/api/products", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code for _ in range(3)]

    other_client = api_client.get("/api/products", HTTP_X_FORWARDED_FOR="203.0.113.2")

    assert statuses == [200, 200, 429]
    assert other_client.status_code == 200


def test_a_throttled_client_gets_in_again_when_the_minute_is_over(api_client, throttle_rates, monkeypatch):
    throttle_rates(anon="1/min")
    clock = [60 * 30_000_000 + 45.0]  # 45 s into a minute
    monkeypatch.setattr(FixedWindowRateThrottle, "timer", lambda self: clock[0])
    assert api_client.get("/api/products").status_code == 200

    refused = api_client.get("/api/products")
    clock[0] += 15

    assert (refused.status_code, refused["Retry-After"]) == (429, "15")
    assert api_client.get("/api/products").status_code == 200


@pytest.mark.parametrize("path", ["/api/products", "/api/nothing-here"])  # counted with a cached answer, and alone
def test_throttle_counters_are_dropped_after_two_minutes(api_client, throttle_rates, redis_cache, path):
    throttle_rates(anon="5/min")

    assert api_client.get(path).status_code in (200, 404)

    counters = redis_cache.keys("*throttle_anon_*")
    assert len(counters) == 1
    assert 60 < redis_cache.ttl(counters[0]) <= 120


def test_signed_in_shoppers_are_throttled_per_user_not_per_address(client_for, shopper, throttle_rates):
    throttle_rates(anon="1/min", user="2/min")
    client, other = client_for(shopper), client_for(UserFactory())

    statuses = [client.get("/api/cart").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]  # the anon rate (1/min) does not apply to a signed-in shopper
    assert other.get("/api/cart").status_code == 200  # from the same address


@pytest.mark.urls("luxyhome.tests.urls")
def test_500_is_problem_json_without_internals():
    client = APIClient(raise_request_exception=False)

    response = client.get("/api/test/boom")

    body = assert_problem(response, 500, "server_error")
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in body["detail"]


@pytest.mark.parametrize("path", ["/api/auth/login", "/api/auth/login/"])
def test_paths_answer_with_and_without_trailing_slash_without_redirect(api_client, path):
    response = api_client.post(path, {"email": "nobody@luxyhome.example", "password": "x"}, format="json")

    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/api/auth/me", "/api/auth/me/", "/healthz", "/healthz/", "/api/schema/"])
def test_get_paths_with_and_without_slash(shopper_client, path):
    assert shopper_client.get(path).status_code == 200


def test_json_answers_declare_utf8(shopper_client):
    assert shopper_client.get("/api/auth/me")["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.urls("luxyhome.tests.urls")
def test_pagination_pages_and_caps_page_size(api_client, django_assert_max_num_queries):
    User.objects.bulk_create(User(email=f"u{n}@luxyhome.example", name=f"U{n}") for n in range(105))

    with django_assert_max_num_queries(2):
        first = api_client.get("/api/test/users").json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (105, 20, None)
    assert "page=2" in first["next"]
    assert len(api_client.get("/api/test/users?page_size=5&page=2").json()["results"]) == 5
    assert len(api_client.get("/api/test/users?page_size=1000").json()["results"]) == 100


@pytest.mark.urls("luxyhome.tests.urls")
def test_page_out_of_range_is_404_problem(api_client):
    UserFactory()

    assert_problem(api_client.get("/api/test/users?page=99"), 404, "not_found")


def test_cors_preflight_from_the_storefront_is_allowed(api_client):
    response = api_client.options(
        "/api/auth/login",
        HTTP_ORIGIN="http://localhost:5173",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, authorization, idempotency-key",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "idempotency-key" in response["Access-Control-Allow-Headers"]


def test_cors_preflight_from_another_origin_gets_no_allow_origin(api_client):
    response = api_client.options(
        "/api/auth/login", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )

    assert "Access-Control-Allow-Origin" not in response


def test_cors_origins_come_from_settings(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://shop.luxyhome.example"]

    response = api_client.get("/api/auth/me", HTTP_ORIGIN="https://shop.luxyhome.example")

    assert response["Access-Control-Allow-Origin"] == "https://shop.luxyhome.example"


def test_400_disallowed_host_is_problem_json_under_api(api_client):
    response = api_client.get("/api/auth/me", HTTP_HOST="attacker.example")

    assert_problem(response, 400, "bad_request")


@pytest.mark.urls("luxyhome.tests.urls")
@pytest.mark.parametrize("page_size", ["-5", "0", "abc", "1.5", "²", "٣"])
def test_bad_page_size_is_400_naming_it(api_client, page_size):
    body = assert_problem(api_client.get("/api/test/users", {"page_size": page_size}), 400, "validation_error")

    assert list(body["errors"]) == ["page_size"]


@pytest.mark.urls("luxyhome.tests.urls")
def test_page_is_a_number(api_client):
    assert_problem(api_client.get("/api/test/users?page=last"), 404, "not_found")
