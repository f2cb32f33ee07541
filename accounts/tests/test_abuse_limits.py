"""The abuse paths of the security review: the admin's login, lock-outs by strangers, IPv6 clients,
look-alike addresses."""

import pytest

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/api/auth/login"
REGISTER = "/api/auth/register"
ADMIN_LOGIN = "/admin/login/?next=/admin/"


def login(api_client, email, password="wrong-password", address="198.51.100.7"):
    return api_client.post(LOGIN, {"email": email, "password": password}, format="json", REMOTE_ADDR=address)


def admin_login(client, email, password="wrong-password"):
    return client.post(ADMIN_LOGIN, {"username": email, "password": password})


def signed_in_to_admin(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_the_admin_login_stops_an_address_after_10_attempts_the_right_password_included(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    for n in range(10):
        assert "Please enter the correct" in admin_login(client, f"guess{n}@luxyhome.example").content.decode()

    locked = admin_login(client, staff.email, PASSWORD)

    assert "Too many sign-in attempts" in locked.content.decode()
    assert not signed_in_to_admin(client)


def test_the_admin_login_counts_failures_per_email_as_the_api_does(client, api_client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(3):
        admin_login(client, staff.email)
    for _ in range(2):
        login(api_client, staff.email, address="127.0.0.1")  # the test client's address

    admin_login(client, staff.email, PASSWORD)

    assert not signed_in_to_admin(client)
    assert admin_login(client, staff.email, PASSWORD).status_code == 200  # the form again, with its error


def test_the_right_password_signs_in_to_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)

    assert admin_login(client, staff.email.upper(), PASSWORD).status_code == 302
    assert signed_in_to_admin(client)


def test_a_stranger_failing_five_times_does_not_lock_the_owner_out(api_client):
    owner = UserFactory()
    for _ in range(5):
        assert login(api_client, owner.email, address="203.0.113.66").status_code == 401

    assert login(api_client, owner.email, address="203.0.113.66").status_code == 429  # the guesser is stopped
    assert login(api_client, owner.email, PASSWORD, address="198.51.100.7").status_code == 200


def test_guessers_spread_over_many_addresses_meet_a_ceiling_per_email(api_client, settings):
    settings.LOGIN_FAILURE_EMAIL_RATE = "8/h"
    owner = UserFactory()
    for n in range(8):
        assert login(api_client, owner.email, address=f"203.0.113.{n}").status_code == 401

    assert login(api_client, owner.email, address="203.0.113.200").status_code == 429


def test_two_addresses_of_one_ipv6_64_share_the_limits(api_client):
    for n in range(10):
        assert login(api_client, f"guess{n}@luxyhome.example", address=f"2001:db8:5:7::{n + 1:x}").status_code == 401

    assert login(api_client, "guess@luxyhome.example", address="2001:db8:5:7:ffff:1:2:3").status_code == 429
    assert login(api_client, "guess@luxyhome.example", address="2001:db8:5:8::1").status_code == 401  # another /64


def test_two_addresses_of_one_ipv6_64_share_the_anonymous_throttle(api_client, throttle_rates):
    throttle_rates(anon="3/min")
    for n in range(3):
        assert api_client.get("/api/products", REMOTE_ADDR=f"2001:db8:9:1::{n + 1}").status_code == 200

    assert api_client.get("/api/products", REMOTE_ADDR="2001:db8:9:1:abcd::9").status_code == 429


@pytest.mark.parametrize("email", ["İvy@example.com", "élise@example.com"])
def test_an_address_that_is_not_ascii_before_the_at_is_refused_at_sign_up(api_client, email):
    response = api_client.post(REGISTER, {"name": "Ivy", "email": email, "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert "email" in response.json()["errors"]
    assert not User.objects.exists()


def test_an_international_domain_is_kept_as_ascii_and_signs_in(api_client):
    body = {"name": "Ivy", "email": "ivy@bücher.example", "password": PASSWORD}

    assert api_client.post(REGISTER, body, format="json").status_code == 201
    assert User.objects.get().email == "ivy@xn--bcher-kva.example"
    assert login(api_client, "ivy@BÜCHER.example", PASSWORD).status_code == 200


@pytest.mark.parametrize("look_alike", ["\u017ftaff@luxyhome.example", "\u212aate@luxyhome.example"])
def test_a_look_alike_of_a_taken_address_is_the_same_address(api_client, look_alike):
    UserFactory(email="staff@luxyhome.example")
    UserFactory(email="kate@luxyhome.example")

    response = api_client.post(REGISTER, {"name": "Eve", "email": look_alike, "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["email"] == ["A user with this email already exists."]


def test_an_address_signs_in_whatever_the_case_of_its_domain(api_client):
    api_client.post(REGISTER, {"name": "Ivy", "email": "Ivy@Example.COM", "password": PASSWORD}, format="json")

    assert User.objects.get().email == "Ivy@example.com"
    assert login(api_client, "ivy@EXAMPLE.com", PASSWORD).status_code == 200
