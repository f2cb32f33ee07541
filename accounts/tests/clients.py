from rest_framework.test import APIClient


def bearer(access: str) -> APIClient:
    """A new client presenting `access` (each call: its own client, as another browser or server would see it)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def assert_throttled(response):
    """A 429 problem saying when to come back."""
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1
