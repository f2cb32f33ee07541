"""Sessions that end: a refresh token presented again after it was traded ends the whole login, and
tokens carry the account's token_version through every refresh."""

import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.services import tokens_for, tokens_refresh, user_sessions_end
from accounts.tests.clients import bearer
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REFRESH = "/api/auth/refresh"
LOGOUT = "/api/auth/logout"
CHANGE = "/api/auth/password"
LOGIN = "/api/auth/login"
ME = "/api/auth/me"


def refresh(token):
    return APIClient().post(REFRESH, {"refresh": token}, format="json")


def sign_in(user) -> dict:
    response = APIClient().post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response.json()


def signed_in(user) -> dict:
    """A session, as after a login; its user is then in the cache, as on every request but the first."""
    session = tokens_for(user)
    assert bearer(session["access"]).get(ME).status_code == 200
    return session


def test_a_replayed_refresh_token_ends_its_whole_login(shopper):
    first = signed_in(shopper)
    second = refresh(first["refresh"]).json()  # the owner's client traded it; a thief kept a copy

    replayed = refresh(first["refresh"])

    assert replayed.status_code == 401
    assert replayed.json()["code"] == "token_not_valid"
    assert refresh(second["refresh"]).status_code == 401
    assert bearer(second["access"]).get(ME).status_code == 401


def test_a_replayed_refresh_token_ends_every_session_of_the_account(shopper):
    traded, other_device = signed_in(shopper), signed_in(shopper)
    refresh(traded["refresh"])

    assert refresh(traded["refresh"]).status_code == 401

    assert bearer(other_device["access"]).get(ME).status_code == 401
    assert refresh(other_device["refresh"]).status_code == 401
    again = sign_in(shopper)
    assert bearer(again["access"]).get(ME).status_code == 200


def test_replaying_the_same_token_again_ends_nothing_more(shopper):
    stolen = signed_in(shopper)
    refresh(stolen["refresh"])
    assert refresh(stolen["refresh"]).status_code == 401  # found out: every session ended
    fresh = sign_in(shopper)

    assert refresh(stolen["refresh"]).status_code == 401

    assert bearer(fresh["access"]).get(ME).status_code == 200
    assert refresh(fresh["refresh"]).status_code == 200


def test_a_logged_out_refresh_token_presented_again_ends_every_session(shopper):
    """A logged-out token is blacklisted like a traded one: it is treated as a copy found out."""
    session, other_device = signed_in(shopper), signed_in(shopper)
    assert bearer(session["access"]).post(LOGOUT, {"refresh": session["refresh"]}, format="json").status_code == 204

    assert refresh(session["refresh"]).status_code == 401

    assert bearer(other_device["access"]).get(ME).status_code == 401


def test_a_refreshed_session_keeps_its_version_and_ends_with_a_password_change(shopper):
    session = signed_in(shopper)
    refreshed = refresh(session["refresh"]).json()
    assert AccessToken(refreshed["access"])["token_version"] == 0
    assert RefreshToken(refreshed["refresh"])["token_version"] == 0
    changed = bearer(session["access"]).post(
        CHANGE, {"current_password": PASSWORD, "new_password": "linen-ottoman-1921"}, format="json"
    )
    assert changed.status_code == 200

    assert bearer(refreshed["access"]).get(ME).status_code == 401
    assert refresh(refreshed["refresh"]).status_code == 401
    assert AccessToken(changed.json()["access"])["token_version"] == 1
    assert refresh(changed.json()["refresh"]).status_code == 200


def test_tokens_from_before_versions_work_until_the_version_moves(shopper):
    """Tokens issued before this release carry no version: they count as version 0."""
    legacy = RefreshToken.for_user(shopper)
    assert "token_version" not in legacy.payload
    assert bearer(str(legacy.access_token)).get(ME).status_code == 200

    user_sessions_end(user=shopper, token_version=0)

    assert bearer(str(legacy.access_token)).get(ME).status_code == 401
    assert refresh(str(legacy)).status_code == 401


def test_refresh_refuses_an_inactive_account(shopper):
    session = signed_in(shopper)
    shopper.is_active = False
    shopper.save()

    assert refresh(session["refresh"]).status_code == 401


def test_refresh_refuses_a_signed_token_it_never_issued(shopper):
    token = RefreshToken()  # validly signed, but never listed as outstanding
    token["user_id"] = str(shopper.pk)

    assert refresh(str(token)).status_code == 401


def test_two_refreshes_of_one_token_at_once_never_both_succeed(postgresql, transactional_db, shopper):
    """Two live sessions never grow from one token: the blacklist's unique entry lets one trade
    through, and the other counts as a replay."""
    session = tokens_for(shopper)
    barrier = threading.Barrier(2)
    outcomes = []

    def trade():
        barrier.wait()
        try:
            outcomes.append(tokens_refresh(refresh=session["refresh"]))
        except TokenError:
            outcomes.append(None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=trade) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    [won] = [outcome for outcome in outcomes if outcome is not None]
    assert outcomes.count(None) == 1
    assert refresh(won["refresh"]).status_code == 401
    assert bearer(won["access"]).get(ME).status_code == 401


def test_a_password_staff_set_in_the_admin_ends_every_session(client, shopper):
    session = signed_in(shopper)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/accounts/user/{shopper.pk}/password/",
        {"password1": "linen-ottoman-1921", "password2": "linen-ottoman-1921", "usable_password": "true"},
    )

    assert response.status_code == 302
    assert bearer(session["access"]).get(ME).status_code == 401
    assert refresh(session["refresh"]).status_code == 401
