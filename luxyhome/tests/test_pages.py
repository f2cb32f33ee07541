"""Operations endpoints, the API documentation, the landing page and the admin branding."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_healthz(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_when_everything_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_names_an_unreachable_cache(client, redis_unreachable):
    redis_unreachable()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "cache": "unreachable"}}


def test_openapi_schema_documents_the_auth_api(client):
    response = client.get("/api/schema?format=json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["register", "login", "refresh", "logout", "me"]:
        assert f"/api/auth/{path}" in paths


def test_swagger_ui_is_served_without_a_cdn(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []


def test_landing_page_links_docs_and_admin(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    for link in ['href="/api/docs"', 'href="/admin/"']:
        assert link in html


def test_admin_is_branded(client):
    response = client.get("/admin/login/")

    assert "Luxyhome administration" in response.content.decode()


def test_staff_can_sign_in_to_the_admin(client, staff):
    from accounts.tests.factories import PASSWORD

    response = client.post("/admin/login/?next=/admin/", {"username": staff.email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert "Run the shop" in client.get("/admin/").content.decode()
