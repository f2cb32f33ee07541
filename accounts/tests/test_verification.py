"""E-mail verification: the link sent at sign-up (or again on request) marks the address verified."""

import re
import time
from urllib.parse import parse_qs

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.links import email_verification_link
from accounts.services import tokens_for
from accounts.tests.clients import bearer
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/auth/register"
VERIFY = "/api/auth/verify-email"
RESEND = "/api/auth/verify-email/resend"
ME = "/api/auth/me"


def verification_token(message) -> str:
    """The token of the verification link in an e-mail's plain-text part."""
    found = re.search(rf"^{re.escape(settings.FRONTEND_URL)}/verify-email\?(\S+)$", message.body, re.MULTILINE)
    assert found, message.body
    return parse_qs(found[1])["token"][0]


def verify(token):
    return APIClient().post(VERIFY, {"token": token}, format="json")


@pytest.fixture
def signed_up(committed, mailoutbox):
    """Grace signs up; her verification e-mail is sent as the sign-up commits."""
    body = {"name": "Grace Hopper", "email": "grace@luxyhome.example", "password": PASSWORD}
    with committed():
        response = APIClient().post(REGISTER, body, format="json")
    assert response.status_code == 201
    assert response.json()["user"]["email_verified"] is False
    return response.json()


def test_sign_up_emails_a_link_that_verifies_the_address(signed_up, mailoutbox):
    [message] = mailoutbox
    assert message.to == ["grace@luxyhome.example"]
    assert message.subject == "Confirm your e-mail address for Luxyhome"
    assert "Dear Grace Hopper," in message.body
    token = verification_token(message)
    [(html, _)] = message.alternatives
    assert token.replace(":", "%3A") in html

    response = verify(token)

    assert response.status_code == 204
    assert bearer(signed_up["access"]).get(ME).json()["email_verified"] is True
    assert verify(token).status_code == 204  # again: still verified, nothing else changes
    assert bearer(signed_up["access"]).get(ME).json()["email_verified"] is True


def test_verify_email_refuses_bad_tokens(signed_up, mailoutbox):
    token = verification_token(mailoutbox[0])
    user_id, digest, timestamp, signature = token.split(":")
    for bad in [
        "garbage",
        f"{user_id}:{digest}:{timestamp}:{signature[:-2]}xx",  # tampered signature
        f"{int(user_id) + 1}:{digest}:{timestamp}:{signature}",  # someone else's id
    ]:
        response = verify(bad)
        assert response.status_code == 400, bad
        assert response.json()["code"] == "invalid_token"
    assert bearer(signed_up["access"]).get(ME).json()["email_verified"] is False


def test_a_verification_link_verifies_only_the_address_it_was_sent_to():
    user = UserFactory(email="old@luxyhome.example")
    token = parse_qs(email_verification_link(user).partition("?")[2])["token"][0]
    user.email = "new@luxyhome.example"  # staff changed it in the admin
    user.save()

    assert verify(token).json()["code"] == "invalid_token"
    user.refresh_from_db()
    assert user.email_verified is False


def test_a_verification_link_expires(signed_up, mailoutbox, settings):
    settings.EMAIL_VERIFICATION_MAX_AGE = 1
    token = verification_token(mailoutbox[0])

    time.sleep(1.1)  # the token's time is in whole seconds: its age is over a second by now

    assert verify(token).json()["code"] == "invalid_token"
    assert bearer(signed_up["access"]).get(ME).json()["email_verified"] is False


def test_verification_links_last_3_days_by_default():
    assert settings.EMAIL_VERIFICATION_MAX_AGE == 3 * 24 * 60 * 60


def test_resend_emails_a_new_link(signed_up, committed, mailoutbox):
    mailoutbox.clear()

    with committed():
        response = bearer(signed_up["access"]).post(RESEND)

    assert response.status_code == 202
    assert "no-store" in response["Cache-Control"]
    [message] = mailoutbox
    assert message.to == ["grace@luxyhome.example"]
    assert verify(verification_token(message)).status_code == 204
    assert bearer(signed_up["access"]).get(ME).json()["email_verified"] is True


def test_resend_for_a_verified_address_sends_nothing(committed, mailoutbox):
    user = UserFactory(email_verified=True)

    with committed():
        response = bearer(tokens_for(user)["access"]).post(RESEND)

    assert response.status_code == 202
    assert mailoutbox == []


def test_resend_needs_a_signed_in_user(api_client):
    assert api_client.post(RESEND).status_code == 401


def test_resend_is_limited_per_email():
    user = UserFactory()
    for n in range(3):
        client = bearer(tokens_for(user)["access"])
        assert client.post(RESEND, REMOTE_ADDR=f"203.0.113.{n}").status_code == 202

    response = bearer(tokens_for(user)["access"]).post(RESEND, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_resend_is_limited_per_client_ip():
    for _ in range(10):
        client = bearer(tokens_for(UserFactory())["access"])
        assert client.post(RESEND, REMOTE_ADDR="203.0.113.1").status_code == 202

    client = bearer(tokens_for(UserFactory())["access"])
    assert client.post(RESEND, REMOTE_ADDR="203.0.113.1").status_code == 429
    assert client.post(RESEND, REMOTE_ADDR="203.0.113.2").status_code == 202
