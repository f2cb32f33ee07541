"""Sockets for tests: in-process, Channels' WebsocketCommunicator on the configured channel layer (Redis
when REDIS_URL is set, as in CI; memory otherwise); end to end, the websockets client against a real
uvicorn (the socket_server fixture)."""

import asyncio
from datetime import timedelta

import pytest
from channels.testing import WebsocketCommunicator
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from accounts.services import tokens_for
from accounts.tests.clients import bearer
from accounts.tokens import refresh_token_for
from luxyhome.routing import websocket_application

STOREFRONT = "http://localhost:3000"  # one of the development CORS_ALLOWED_ORIGINS
ORDER_FIELDS = ("id", "number", "status", "payment_status", "updated_at")  # an order.updated message's, as the contract


def protocols(token: str | None = None) -> list[str]:
    """What a storefront offers: the protocol, and the access token as a subprotocol."""
    return ["luxyhome.v1", f"bearer.{token}"] if token else ["luxyhome.v1"]


def access_token(user, *, seconds: float | None = None) -> str:
    """A signed-in session's access token, lasting `seconds` when given (ACCESS_TOKEN_LIFETIME otherwise)."""
    access = refresh_token_for(user).access_token
    if seconds is not None:
        access.set_exp(lifetime=timedelta(seconds=seconds))
    return str(access)


def forged_access_token(user) -> str:
    """A valid token's header and claims under a signature the server never made."""
    header, payload, _ = access_token(user).split(".")
    return f"{header}.{payload}.c2lnbmVkLWJ5LXNvbWVvbmUtZWxzZQ"


def logged_out_access_token(user) -> str:
    """The access token of a session its shopper logged out of."""
    session = tokens_for(user)
    assert bearer(session["access"]).post("/api/auth/logout", {"refresh": session["refresh"]}).status_code == 204
    return session["access"]


class Socket(WebsocketCommunicator):
    """A client socket; `accepted` and `answer` (the chosen subprotocol, or the close code) once opened."""

    def __init__(self, path: str, *, offer=(), origin: str | None = None, client: str = "127.0.0.1"):
        headers = [(b"origin", origin.encode())] if origin else []
        super().__init__(websocket_application, path, headers=headers, subprotocols=list(offer))
        self.scope["client"] = (client, 50000)

    async def open(self) -> "Socket":
        self.accepted, self.answer = await self.connect()
        return self


async def socket(path: str, **options) -> Socket:
    return await Socket(path, **options).open()


async def close(*sockets: Socket) -> None:
    """Close these sockets at once: a consumer on the Redis layer takes up to a second to let go."""
    await asyncio.gather(*(opened.disconnect() for opened in sockets))


def open_socket(server, path: str, *, offer=("luxyhome.v1",), origin: str | None = STOREFRONT):
    """A client socket on the real server: use it in a `with`."""
    return connect(f"ws://127.0.0.1:{server.port}{path}", subprotocols=list(offer), origin=origin, open_timeout=5)


def refused(server, path: str, **options) -> int:
    """The HTTP status that refused the handshake."""
    with pytest.raises(InvalidStatus) as refusal, open_socket(server, path, **options):
        pass
    return refusal.value.response.status_code
