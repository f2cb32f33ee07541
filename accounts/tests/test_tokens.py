import time
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.authentication import user_cache_key
from accounts.models import DeniedAccessToken
from accounts.services import tokens_for
from accounts.tests.clients import bearer
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFRESH = "/api/auth/refresh"
LOGOUT = "/api/auth/logout"
ME = "/api/auth/me"


@pytest.fixture
def session(shopper):
    return tokens_for(shopper)


def test_refresh_rotates_and_kills_the_old_refresh_token(api_client, session):
    response = api_client.post(REFRESH, {"refresh": session["refresh"]}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    assert "no-store" in response["Cache-Control"]
    assert bearer(response.json()["access"]).get(ME).status_code == 200
    reused = api_client.post(REFRESH, {"refresh": session["refresh"]}, format="json")
    assert reused.status_code == 401
    assert reused.json()["code"] == "token_not_valid"
    # the replay ended the whole login, the new pair with it (test_sessions.py)
    assert api_client.post(REFRESH, {"refresh": response.json()["refresh"]}, format="json").status_code == 401


def test_refresh_with_garbage_or_missing_token(api_client):
    assert api_client.post(REFRESH, {"refresh": "garbage"}, format="json").status_code == 401
    missing = api_client.post(REFRESH, {}, format="json")
    assert missing.status_code == 400
    assert "refresh" in missing.json()["errors"]


def test_logout_kills_refresh_and_access_token_for_every_client(api_client, session):
    signed_in = bearer(session["access"])

    response = signed_in.post(LOGOUT, {"refresh": session["refresh"]}, format="json")

    assert response.status_code == 204
    assert "no-store" in response["Cache-Control"]
    other_client = bearer(session["access"])  # a second client, as another server process would see it
    after = other_client.get(ME)
    assert after.status_code == 401
    assert after.json()["code"] == "token_not_valid"
    assert api_client.post(REFRESH, {"refresh": session["refresh"]}, format="json").status_code == 401


def test_logged_out_token_stays_dead_when_the_cache_forgets_it(session):
    bearer(session["access"]).post(LOGOUT, {"refresh": session["refresh"]}, format="json")

    cache.clear()  # Redis restarted without its data

    assert bearer(session["access"]).get(ME).status_code == 401


def test_redis_outage_neither_revives_dead_tokens_nor_signs_out_others(redis_unreachable, session):
    bearer(session["access"]).post(LOGOUT, {"refresh": session["refresh"]}, format="json")
    live = tokens_for(UserFactory())["access"]

    redis_unreachable()

    assert bearer(session["access"]).get(ME).status_code == 401
    assert bearer(live).get(ME).status_code == 200


def test_logout_records_the_access_token_until_it_expires(session):
    bearer(session["access"]).post(LOGOUT, {"refresh": session["refresh"]}, format="json")

    denied = DeniedAccessToken.objects.get()
    access = AccessToken(session["access"])
    assert denied.jti == access["jti"]
    assert int(denied.expires_at.timestamp()) == access["exp"]


def test_logout_needs_the_access_token(api_client, session):
    response = api_client.post(LOGOUT, {"refresh": session["refresh"]}, format="json")

    assert response.status_code == 401
    assert api_client.post(REFRESH, {"refresh": session["refresh"]}, format="json").status_code == 200


def test_logout_with_another_users_refresh_token_is_refused(session):
    stranger = tokens_for(UserFactory())

    response = bearer(session["access"]).post(LOGOUT, {"refresh": stranger["refresh"]}, format="json")

    assert response.status_code == 401
    assert bearer(stranger["access"]).get(ME).status_code == 200
    assert bearer(session["access"]).get(ME).status_code == 200


def test_logout_bad_bodies(session):
    client = bearer(session["access"])

    assert client.post(LOGOUT, {}, format="json").status_code == 400
    assert client.post(LOGOUT, {"refresh": "garbage"}, format="json").status_code == 401
    assert client.post(LOGOUT, {"refresh": session["access"]}, format="json").status_code == 401
    assert client.get(ME).status_code == 200  # nothing was logged out


def test_unsigned_token_is_401(shopper):
    claims = dict(AccessToken.for_user(shopper).payload)
    unsigned = jwt.encode(claims, key=None, algorithm="none")

    assert bearer(unsigned).get(ME).status_code == 401


def test_token_signed_with_another_key_is_401(shopper):
    claims = dict(AccessToken.for_user(shopper).payload)
    forged = jwt.encode(claims, key="x" * 64, algorithm="HS256")

    assert bearer(forged).get(ME).status_code == 401


def test_expired_access_token_is_401(shopper):
    token = AccessToken.for_user(shopper)
    token.set_exp(lifetime=-timedelta(seconds=1))

    assert bearer(str(token)).get(ME).status_code == 401


def test_a_token_that_expires_after_use_is_401_from_then_on(shopper):
    token = AccessToken.for_user(shopper)
    token.set_exp(lifetime=timedelta(seconds=2))  # exp is whole seconds: at least one of them left
    client = bearer(str(token))
    assert client.get(ME).status_code == 200

    time.sleep(max(0.0, token["exp"] - time.time()) + 0.1)
    expired = client.get(ME)

    assert expired.status_code == 401
    assert expired.json()["code"] == "token_not_valid"


def test_refresh_token_is_not_a_bearer_token(shopper):
    response = bearer(str(RefreshToken.for_user(shopper))).get(ME)

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_token_lifetimes(shopper):
    refresh = RefreshToken.for_user(shopper)

    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600
    assert refresh.access_token["exp"] - refresh.access_token["iat"] == 15 * 60
    assert settings.SIMPLE_JWT["SIGNING_KEY"] != settings.SECRET_KEY


def test_flushexpiredtokens_purges_expired_denylist_entries(session):
    from django.core.management import call_command
    from django.utils import timezone

    DeniedAccessToken.objects.create(jti="long-gone", expires_at=timezone.now() - timedelta(minutes=1))
    bearer(session["access"]).post(LOGOUT, {"refresh": session["refresh"]}, format="json")

    call_command("flushexpiredtokens")

    assert list(DeniedAccessToken.objects.values_list("jti", flat=True)) == [AccessToken(session["access"])["jti"]]


def test_a_signed_in_request_asks_the_database_nothing_once_cached(shopper, session, django_assert_num_queries):
    client = bearer(session["access"])
    assert client.get(ME).status_code == 200

    with django_assert_num_queries(0):
        assert client.get(ME).json()["email"] == shopper.email


def test_account_changes_show_on_the_next_request(shopper, session):
    client = bearer(session["access"])
    assert client.get("/api/orders").status_code == 200

    shopper.name = "Ada Renamed"
    shopper.save()
    assert client.get(ME).json()["name"] == "Ada Renamed"

    shopper.is_active = False
    shopper.save()
    assert client.get(ME).status_code == 401


def test_a_deleted_account_is_signed_out_at_once(shopper, session):
    client = bearer(session["access"])
    assert client.get(ME).status_code == 200

    shopper.delete()

    assert client.get(ME).status_code == 401


def test_the_cached_user_holds_no_password_hash(shopper, session):
    bearer(session["access"]).get(ME)

    cached = cache.get(user_cache_key(shopper.pk))

    assert cached.email == shopper.email
    assert "password" not in cached.__dict__
    assert shopper.password not in str(cache.get(user_cache_key(shopper.pk)).__dict__)
