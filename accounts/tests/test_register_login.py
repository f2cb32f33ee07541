from unittest import mock

import bcrypt
import pytest
from django.contrib.auth.hashers import identify_hasher

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/auth/register"
LOGIN = "/api/auth/login"
ME = "/api/auth/me"


def register(api_client, **body):
    return api_client.post(REGISTER, {"name": "Ada Whitmore", "email": "ada@luxyhome.example", **body}, format="json")


def assert_user_shape(data):
    assert set(data) == {"id", "name", "email", "email_verified", "is_staff", "created_at"}


def test_register_creates_account_and_signs_in(api_client):
    response = register(api_client, password=PASSWORD)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"user", "access", "refresh"}
    assert_user_shape(body["user"])
    assert body["user"]["email"] == "ada@luxyhome.example"
    assert body["user"]["is_staff"] is False
    assert "no-store" in response["Cache-Control"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert api_client.get(ME).json()["email"] == "ada@luxyhome.example"


def test_register_duplicate_email_in_another_case_is_400(api_client):
    UserFactory(email="ada@luxyhome.example")

    response = register(api_client, email="ADA@Luxyhome.Example", password=PASSWORD)

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert response.json()["errors"] == {"email": ["A user with this email already exists."]}
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short1", "too short"), ("password123", "too common"), ("83920174653", "entirely numeric")],
)
def test_register_weak_password_is_400(api_client, password, reason):
    response = register(api_client, password=password)

    assert response.status_code == 400
    assert any(reason in message for message in response.json()["errors"]["password"])
    assert not User.objects.exists()


def test_register_password_like_the_email_is_400(api_client):
    response = register(api_client, email="harrington.velvet@luxyhome.example", password="harrington.velvet")

    assert response.status_code == 400
    assert "too similar" in response.json()["errors"]["password"][0]


def test_register_missing_and_invalid_fields_are_named(api_client):
    response = api_client.post(REGISTER, {"email": "not-an-email"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"name", "email", "password"}


@pytest.mark.real_password_hashing
def test_password_is_stored_with_bcrypt_and_never_answered(api_client):
    response = register(api_client, password=PASSWORD)
    user = User.objects.get()

    assert identify_hasher(user.password).algorithm == "bcrypt_sha256"
    login = api_client.post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")
    me = api_client.get(ME)
    for answer in (response, login, me):
        assert user.password not in answer.content.decode()
        assert "password" not in answer.content.decode()


def test_login_answers_user_and_tokens(api_client, shopper):
    response = api_client.post(LOGIN, {"email": shopper.email, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == {"user", "access", "refresh"}
    assert response.json()["user"]["id"] == shopper.id
    assert "no-store" in response["Cache-Control"]
    shopper.refresh_from_db()
    assert shopper.last_login is not None


def test_login_email_is_case_insensitive(api_client):
    UserFactory(email="Ada@Luxyhome.example")

    response = api_client.post(LOGIN, {"email": "ada@LUXYHOME.EXAMPLE", "password": PASSWORD}, format="json")

    assert response.status_code == 200


def test_login_wrong_password_and_unknown_email_answer_alike(api_client, shopper):
    answers = []
    for email, password in [(shopper.email, "not-the-password"), ("nobody@luxyhome.example", PASSWORD)]:
        # both paths must run bcrypt once, so neither answers faster
        with mock.patch("bcrypt.hashpw", wraps=bcrypt.hashpw) as hashpw:
            response = api_client.post(LOGIN, {"email": email, "password": password}, format="json")
        assert hashpw.call_count == 1
        answers.append((response.status_code, response.json(), response["WWW-Authenticate"]))

    assert answers[0] == answers[1]
    assert answers[0][0] == 401
    assert answers[0][1]["code"] == "invalid_credentials"
    assert answers[0][2] == 'Bearer realm="api"'


def test_login_inactive_account_is_401(api_client):
    user = UserFactory(is_active=False)

    response = api_client.post(LOGIN, {"email": user.email, "password": PASSWORD}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_login_missing_fields_is_400(api_client):
    response = api_client.post(LOGIN, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email", "password"}


def test_login_ignores_a_stale_bearer_token(api_client, shopper):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.garbage")

    response = api_client.post(LOGIN, {"email": shopper.email, "password": PASSWORD}, format="json")

    assert response.status_code == 200


def test_me_answers_the_signed_in_user(shopper_client, shopper):
    response = shopper_client.get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "id": shopper.id,
        "name": shopper.name,
        "email": shopper.email,
        "email_verified": False,
        "is_staff": False,
        "created_at": shopper.created_at.isoformat().replace("+00:00", "Z"),
    }
    assert "no-store" in response["Cache-Control"]


def test_me_patch_changes_only_the_name(shopper_client, shopper):
    response = shopper_client.patch(ME, {"name": "Ada Lovelace", "email": "x@evil.example", "is_staff": True})

    assert response.status_code == 200
    assert response.json()["name"] == "Ada Lovelace"
    shopper.refresh_from_db()
    assert (shopper.name, shopper.is_staff) == ("Ada Lovelace", False)
    assert shopper.email.endswith("@luxyhome.example")


def test_me_patch_blank_name_is_400(shopper_client):
    response = shopper_client.patch(ME, {"name": ""})

    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_me_without_token_is_401(api_client):
    response = api_client.get(ME)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
