"""What every socket of the shop shares (DESIGN.md, Contract v2, Real time).

A socket joins one group at the handshake and then only receives: services push to the group when
their transaction commits (luxyhome.realtime) and the consumer forwards each message as JSON.
"""

import asyncio
import json
import time
from collections import Counter

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.security.websocket import OriginValidator
from django.conf import settings

from luxyhome.api.ratelimit import client_network

PROTOCOL = "luxyhome.v1"
CLOSE_TOKEN_EXPIRED = 4401
CLOSE_TOO_MANY_MESSAGES = 4429

# this process's open sockets, by ("user", id) and ("client", network): limits counted at the handshake
_open = Counter()


class BrowserOriginValidator(OriginValidator):
    """A handshake that carries an Origin must name one of CORS_ALLOWED_ORIGINS (the storefronts); one
    without (not a browser) is left to the consumer, which judges it by its token."""

    def valid_origin(self, parsed_origin) -> bool:
        return parsed_origin is None or self.validate_origin(parsed_origin)


class PushConsumer(AsyncWebsocketConsumer):
    """A socket that receives what services push to the group `subscription()` names: the messages
    whose type is in `forwards`.

    `subscription()` returns the group, or None to refuse the handshake (HTTP 403); it may set
    `user` (counted against WEBSOCKET_MAX_PER_USER) and `expires_at` (a Unix time: the socket is
    closed with 4401 then).
    """

    forwards: frozenset[str] = frozenset()  # the types of the pushed messages its client receives as they are
    user = None
    expires_at: float | None = None
    _held: tuple = ()  # the limits' keys this socket counts against, once accepted
    _expiry: asyncio.Task | None = None

    async def subscription(self) -> str | None:
        raise NotImplementedError

    def offered_token(self) -> str | None:
        """The access token the client offered as the subprotocol `bearer.<token>`: never in the URL,
        which proxies and servers write to their logs."""
        return next((p.removeprefix("bearer.") for p in self.scope["subprotocols"] if p.startswith("bearer.")), None)

    async def connect(self):
        offered = self.scope["subprotocols"]
        if (offered and PROTOCOL not in offered) or _open[self._client_key()] >= settings.WEBSOCKET_MAX_PER_CLIENT:
            await self.close()  # before subscription() asks the database anything
            return
        group = await self.subscription()
        if group is None or not self._hold():
            await self.close()
            return
        self.groups = [group]  # websocket_disconnect leaves it
        await self.channel_layer.group_add(group, self.channel_name)
        await self.accept(PROTOCOL if offered else None)
        self._window, self._received = 0, 0
        if self.expires_at is not None:
            self._expiry = asyncio.create_task(self._close_at_expiry())

    async def disconnect(self, code):
        if self._expiry:
            self._expiry.cancel()
        for key in self._held:
            _open[key] -= 1
            if not _open[key]:
                del _open[key]
        self._held = ()

    async def receive(self, text_data=None, bytes_data=None):
        """Clients only listen: whatever they send is dropped, and past the rate the socket closes."""
        window = int(time.monotonic() // 60)
        if window != self._window:
            self._window, self._received = window, 0
        self._received += 1
        if self._received > settings.WEBSOCKET_MESSAGES_PER_MINUTE:
            await self.close(CLOSE_TOO_MANY_MESSAGES)

    async def dispatch(self, message: dict) -> None:
        # A pushed message goes straight to the client. Channels would first close stale database
        # connections on a worker thread, a thread hop per message, for connections this process never
        # keeps (luxyhome.asgi); bench/README.md (Real time) has what that hop cost.
        if message["type"] in self.forwards:
            await self.send(text_data=json.dumps(message))
        else:
            await super().dispatch(message)

    async def sessions_ended(self, message: dict) -> None:
        """The user's sessions ended (luxyhome.realtime.sessions_ended_send): so does this socket."""
        await self.close(CLOSE_TOKEN_EXPIRED)

    def _hold(self) -> bool:
        """Count this socket against its client's and its user's limits, unless one is reached."""
        wanted = [(self._client_key(), settings.WEBSOCKET_MAX_PER_CLIENT)]
        if self.user is not None:
            wanted.append((("user", self.user.pk), settings.WEBSOCKET_MAX_PER_USER))
        if any(_open[key] >= limit for key, limit in wanted):
            return False
        self._held = tuple(key for key, _ in wanted)
        _open.update(self._held)
        return True

    def _client_key(self) -> tuple[str, str]:
        client = self.scope.get("client") or ("unknown", 0)
        return "client", client_network(client[0])

    async def _close_at_expiry(self) -> None:
        await asyncio.sleep(max(self.expires_at - time.time(), 0))
        await self.close(CLOSE_TOKEN_EXPIRED)
