"""Pushes to the shop's sockets (DESIGN.md, Contract v2, Real time), from the services that change
orders and stock, in a web process or a worker alike.

A message goes to the channel layer when the transaction commits, so no socket hears of a change
that was rolled back. Delivery is best-effort: a layer that is down loses the message (logged), never
the change; clients re-read what they show after reconnecting.
"""

import asyncio
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

Push = tuple[str, dict]  # a group, and the message every socket in it receives


def user_group(user_id: int) -> str:
    """The group of a signed-in user's sockets."""
    return f"user.{user_id}"


def sessions_ended_send(*, user_id: int) -> None:
    """Close the user's sockets (4401) once the transaction commits: the tokens they opened with are
    no longer valid (a password change or reset, a replayed refresh token)."""
    push_on_commit([(user_group(user_id), {"type": "sessions.ended"})])


def push_on_commit(pushes: list[Push]) -> None:
    """Send each (group, message) once the transaction commits."""
    transaction.on_commit(lambda: _send(pushes), robust=True)


def _send(pushes: list[Push]) -> None:
    if not pushes:
        return
    if isinstance(get_channel_layer(), InMemoryChannelLayer):  # make run: the layer lives on the server's loop
        async_to_sync(_send_in_order)(pushes)
    else:
        _sender().put(pushes)


async def _send_in_order(pushes: list[Push]) -> None:
    layer = get_channel_layer()
    for group, message in pushes:
        await layer.group_send(group, message)


class _Sender:
    """This process's event loop for pushes, on a thread of its own: it keeps its connection to the
    layer, sends in commit order, and no request or task waits for it. A sync caller's async_to_sync
    would make a new event loop and connection for every transaction."""

    def __init__(self):
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.queue: asyncio.Queue[list[Push]] = asyncio.Queue()
        threading.Thread(target=self.loop.run_forever, name="luxyhome-push", daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._run(), self.loop)

    def put(self, pushes: list[Push]) -> None:
        self.loop.call_soon_threadsafe(self.queue.put_nowait, pushes)

    async def _run(self) -> None:
        while True:
            pushes = await self.queue.get()
            try:
                await _send_in_order(pushes)
            except Exception:
                logger.exception("Could not push %d message(s) to the sockets", len(pushes))


_sender_lock = threading.Lock()
_current_sender: _Sender | None = None


def _sender() -> _Sender:
    """The process's sender, started on first use; a forked process (a gunicorn or Celery worker)
    starts its own, the thread of its parent's not being there."""
    global _current_sender
    with _sender_lock:
        if _current_sender is None or _current_sender.pid != os.getpid():
            _current_sender = _Sender()
        return _current_sender
