import pytest

from accounts.tests.clients import assert_throttled
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/api/auth/login"
REGISTER = "/api/auth/register"


def login(api_client, email, password="wrong-password", **headers):
    return api_client.post(LOGIN, {"email": email, "password": password}, format="json", **headers)


def test_login_is_limited_to_10_a_minute_per_client_ip(api_client):
    for n in range(10):
        assert login(api_client, f"guess{n}@luxyhome.example").status_code == 401

    assert_throttled(login(api_client, "guess10@luxyhome.example"))


def test_login_ip_limit_ignores_a_forwarded_for_header_from_the_client(api_client):
    for n in range(10):
        login(api_client, f"guess{n}@luxyhome.example", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    assert_throttled(login(api_client, "guess@luxyhome.example", HTTP_X_FORWARDED_FOR="203.0.113.99"))


def test_login_behind_a_trusted_proxy_keys_on_the_forwarded_address(api_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for n in range(10):
        login(api_client, f"guess{n}@luxyhome.example", HTTP_X_FORWARDED_FOR="203.0.113.1")

    assert_throttled(login(api_client, "guess@luxyhome.example", HTTP_X_FORWARDED_FOR="203.0.113.1"))
    assert login(api_client, "guess@luxyhome.example", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 401


def test_five_failed_logins_lock_the_email_for_a_while(api_client):
    user = UserFactory()
    other = UserFactory()
    for _ in range(5):
        assert login(api_client, user.email).status_code == 401

    assert_throttled(login(api_client, user.email.upper(), password=PASSWORD))
    assert login(api_client, other.email, password=PASSWORD).status_code == 200


def test_successful_logins_do_not_count_as_failures(api_client):
    user = UserFactory()
    for _ in range(4):
        login(api_client, user.email)
    for _ in range(3):
        assert login(api_client, user.email, password=PASSWORD).status_code == 200


def test_rates_come_from_settings(api_client, settings):
    settings.LOGIN_RATE = "2/m"
    login(api_client, "a@luxyhome.example")
    login(api_client, "b@luxyhome.example")

    assert_throttled(login(api_client, "c@luxyhome.example"))


def test_register_is_limited_to_10_an_hour_per_client_ip(api_client):
    for n in range(10):
        body = {"name": "Ada", "email": f"ada{n}@luxyhome.example", "password": PASSWORD}
        assert api_client.post(REGISTER, body, format="json").status_code == 201

    body = {"name": "Ada", "email": "ada10@luxyhome.example", "password": PASSWORD}
    assert_throttled(api_client.post(REGISTER, body, format="json"))


def test_rate_limits_can_be_switched_off(api_client, settings):
    settings.RATELIMIT_ENABLE = False

    for n in range(12):
        assert login(api_client, f"guess{n}@luxyhome.example").status_code == 401
