from rest_framework.test import APIClient


def bearer(access: str) -> APIClient:
    """A new client presenting `access` (each call: its own client, as another browser or server would see it)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client
