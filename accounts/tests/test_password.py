"""Forgotten and changed passwords: the reset e-mail and its link, the change, and the sessions they end."""

import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import tokens_for
from accounts.tests.clients import assert_throttled, bearer
from accounts.tests.factories import PASSWORD, UserFactory
from outbox.models import Email

pytestmark = pytest.mark.django_db

RESET = "/api/auth/password-reset"
CONFIRM = "/api/auth/password-reset/confirm"
CHANGE = "/api/auth/password"
LOGIN = "/api/auth/login"
REFRESH = "/api/auth/refresh"
ME = "/api/auth/me"
NEW_PASSWORD = "linen-ottoman-1921"
ACCEPTED = {"detail": "If an account uses this address, a link to reset its password is on its way."}


@pytest.fixture
def ada(db):
    return UserFactory(name="Ada Whitmore", email="ada@luxyhome.example")


def ask_reset(committed, email, address="203.0.113.1"):
    """Asks for a reset link from `address`; the e-mail, if any, is sent as the request commits."""
    with committed():
        return APIClient().post(RESET, {"email": email}, format="json", REMOTE_ADDR=address)


def reset_link(message) -> dict:
    """`uid` and `token` of the reset link in an e-mail's plain-text part."""
    found = re.search(rf"^{re.escape(settings.FRONTEND_URL)}/reset-password\?(\S+)$", message.body, re.MULTILINE)
    assert found, message.body
    query = parse_qs(found[1])
    return {"uid": query["uid"][0], "token": query["token"][0]}


def confirm(link, password=NEW_PASSWORD):
    return APIClient().post(CONFIRM, {**link, "password": password}, format="json")


def login(password, email="ada@luxyhome.example"):
    return APIClient().post(LOGIN, {"email": email, "password": password}, format="json")


def change(client, current=PASSWORD, new=NEW_PASSWORD):
    return client.post(CHANGE, {"current_password": current, "new_password": new}, format="json")


# --- reset -------------------------------------------------------------------------------


def test_password_reset_emails_a_link_that_sets_a_new_password(ada, committed, mailoutbox):
    response = ask_reset(committed, "ada@luxyhome.example")

    assert response.status_code == 202
    assert response.json() == ACCEPTED
    [message] = mailoutbox
    assert message.to == ["ada@luxyhome.example"]
    assert message.subject == "Reset your Luxyhome password"
    assert "Dear Ada Whitmore," in message.body
    link = reset_link(message)
    [(html, _)] = message.alternatives
    assert f"reset-password?uid={link['uid']}&amp;token={link['token']}" in html
    assert confirm(link).status_code == 204
    assert login(NEW_PASSWORD).status_code == 200
    assert login(PASSWORD).status_code == 401


def test_password_reset_finds_the_account_whatever_the_case(ada, committed, mailoutbox):
    assert ask_reset(committed, "ADA@LuxyHome.example").status_code == 202

    assert [message.to for message in mailoutbox] == [["ada@luxyhome.example"]]


def test_password_reset_link_works_once(ada, committed, mailoutbox):
    ask_reset(committed, ada.email)
    link = reset_link(mailoutbox[0])
    assert confirm(link).status_code == 204

    again = confirm(link, password="walnut-credenza-1906")

    assert again.status_code == 400
    assert again.json()["code"] == "invalid_token"
    assert login(NEW_PASSWORD).status_code == 200


def test_password_reset_link_works_for_an_hour(ada, committed, mailoutbox, monkeypatch):
    ask_reset(committed, ada.email)
    link = reset_link(mailoutbox[0])
    sent = datetime.now()

    monkeypatch.setattr(default_token_generator, "_now", lambda: sent + timedelta(hours=1, seconds=2))
    expired = confirm(link)
    monkeypatch.setattr(default_token_generator, "_now", lambda: sent + timedelta(minutes=59))
    in_time = confirm(link)

    assert expired.status_code == 400
    assert expired.json()["code"] == "invalid_token"
    assert in_time.status_code == 204


def test_password_reset_link_dies_when_the_owner_signs_in_meanwhile(ada, committed, mailoutbox):
    ask_reset(committed, ada.email)  # someone else asked; Ada remembers her password after all
    assert login(PASSWORD).status_code == 200

    assert confirm(reset_link(mailoutbox[0])).json()["code"] == "invalid_token"


def test_password_reset_for_an_unknown_or_inactive_account_answers_the_same_and_sends_nothing(committed, mailoutbox):
    UserFactory(email="gone@luxyhome.example", is_active=False)

    unknown = ask_reset(committed, "nobody@luxyhome.example")
    inactive = ask_reset(committed, "gone@luxyhome.example")

    assert (unknown.status_code, unknown.json()) == (202, ACCEPTED)
    assert (inactive.status_code, inactive.json()) == (202, ACCEPTED)
    assert mailoutbox == []
    assert not Email.objects.exists()


def test_password_reset_refuses_bad_links(ada):
    for link in [
        {"uid": "MQ", "token": "not-a-token"},
        {"uid": "bm90LWFuLWlk", "token": default_token_generator.make_token(ada)},  # "not-an-id"
        {"uid": "OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "token": "cz7d2k-0"},  # an id past any bigint
        {"uid": "!!", "token": "x"},
    ]:
        response = confirm(link)
        assert response.status_code == 400, link
        assert response.json()["code"] == "invalid_token"
    assert login(PASSWORD).status_code == 200


def test_password_reset_refuses_a_weak_password_and_the_link_still_works(ada, committed, mailoutbox):
    ask_reset(committed, ada.email)
    link = reset_link(mailoutbox[0])

    weak = confirm(link, password="password")

    assert weak.status_code == 400
    assert weak.json()["code"] == "validation_error"
    assert "This password is too common." in weak.json()["errors"]["password"]
    assert confirm(link).status_code == 204


def test_password_reset_ends_every_session(ada, committed, mailoutbox):
    laptop, phone = tokens_for(ada), tokens_for(ada)
    assert bearer(laptop["access"]).get(ME).status_code == 200  # the user is cached now
    ask_reset(committed, ada.email)

    assert confirm(reset_link(mailoutbox[0])).status_code == 204

    for session in (laptop, phone):
        assert bearer(session["access"]).get(ME).status_code == 401
        assert APIClient().post(REFRESH, {"refresh": session["refresh"]}, format="json").status_code == 401


def test_password_reset_link_is_made_as_the_email_is_sent_not_stored(ada, committed, mailoutbox):
    """Staff can read the outbox: the row must not hold a way into the account."""
    ask_reset(committed, ada.email)

    link = reset_link(mailoutbox[0])
    email = Email.objects.get()
    assert link["token"] not in str(email.context)
    assert "reset-password" not in str(email.context)


def test_password_reset_is_limited_per_client_ip(ada, committed, mailoutbox):
    for n in range(10):
        assert ask_reset(committed, f"someone{n}@luxyhome.example").status_code == 202

    assert_throttled(ask_reset(committed, ada.email))
    assert mailoutbox == []
    assert ask_reset(committed, ada.email, address="203.0.113.2").status_code == 202


def test_password_reset_is_limited_per_email_from_anywhere(ada, committed, mailoutbox):
    for n in range(3):
        assert ask_reset(committed, ada.email, address=f"203.0.113.{n}").status_code == 202

    assert_throttled(ask_reset(committed, "ADA@luxyhome.example", address="198.51.100.7"))
    assert len(mailoutbox) == 3
    assert ask_reset(committed, "someone@luxyhome.example", address="198.51.100.7").status_code == 202


# --- change ------------------------------------------------------------------------------


def test_password_change_answers_a_new_session_and_ends_the_others(ada):
    old = tokens_for(ada)
    other_device = tokens_for(ada)
    assert bearer(old["access"]).get(ME).status_code == 200  # the user is cached now

    response = change(bearer(old["access"]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    new = response.json()
    assert set(new) == {"access", "refresh"}
    assert bearer(new["access"]).get(ME).status_code == 200
    for session in (old, other_device):
        refused = bearer(session["access"]).get(ME)  # another client, as another server would see it
        assert refused.status_code == 401
        assert refused.json()["code"] == "token_not_valid"
        assert APIClient().post(REFRESH, {"refresh": session["refresh"]}, format="json").status_code == 401
    assert APIClient().post(REFRESH, {"refresh": new["refresh"]}, format="json").status_code == 200
    assert login(NEW_PASSWORD).status_code == 200
    assert login(PASSWORD).status_code == 401


def test_password_change_with_a_wrong_current_password_changes_nothing(ada):
    session = tokens_for(ada)

    response = change(bearer(session["access"]), current="not-my-password")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert response.json()["errors"] == {"current_password": ["The current password is not correct."]}
    assert bearer(session["access"]).get(ME).status_code == 200
    assert login(PASSWORD).status_code == 200


def test_password_change_refuses_a_weak_new_password(ada):
    session = tokens_for(ada)

    response = change(bearer(session["access"]), new="ada@luxyhome.example")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"new_password"}
    assert bearer(session["access"]).get(ME).status_code == 200


def test_password_change_needs_a_signed_in_user(api_client):
    assert change(api_client).status_code == 401


def test_password_change_allows_5_wrong_guesses_in_15_minutes(ada):
    client = bearer(tokens_for(ada)["access"])
    for _ in range(5):
        assert change(client, current="guess").status_code == 400

    assert_throttled(change(client))
    assert login(PASSWORD).status_code == 200


def test_password_change_while_redis_is_down_still_ends_the_old_tokens(redis_unreachable, ada):
    old = tokens_for(ada)
    assert bearer(old["access"]).get(ME).status_code == 200

    redis_unreachable()  # nothing can be dropped from the cache, and nothing read from it
    new = change(bearer(old["access"]))

    assert new.status_code == 200
    assert bearer(old["access"]).get(ME).status_code == 401
    assert bearer(new.json()["access"]).get(ME).status_code == 200


def test_old_access_token_stays_refused_when_redis_goes_down_after_the_change(redis_unreachable, ada):
    old = tokens_for(ada)
    assert change(bearer(old["access"])).status_code == 200

    redis_unreachable()

    assert bearer(old["access"]).get(ME).status_code == 401
    assert User.objects.get(pk=ada.pk).token_version == 1
