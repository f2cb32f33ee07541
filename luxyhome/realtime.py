"""Pushes to the shop's sockets (DESIGN.md, Contract v2, Real time), from the services that change
orders and stock, in a web process or a worker alike.

A message goes to the channel layer when the transaction commits, so no socket hears of a change
that was rolled back. Delivery is best-effort: a layer that is down loses the message (Django logs
it, robust=True), never the change; clients re-read what they show after reconnecting.
"""

import asyncio
from collections.abc import Callable, Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

Push = tuple[str, dict]  # a group, and the message every socket in it receives


def user_group(user_id: int) -> str:
    """The group of a signed-in user's sockets."""
    return f"user.{user_id}"


def sessions_ended_send(*, user_id: int) -> None:
    """Close the user's sockets (4401) once the transaction commits: the tokens they opened with are
    no longer valid (a password change or reset, a replayed refresh token)."""
    push_on_commit(lambda: [(user_group(user_id), {"type": "sessions.ended"})])


def push_on_commit(build: Callable[[], Iterable[Push]]) -> None:
    """Once the transaction commits, send each (group, message) that `build` returns then."""
    transaction.on_commit(lambda: _send(list(build())), robust=True)


def _send(pushes: list[Push]) -> None:
    if not pushes:
        return

    async def send_all():
        # one event loop, so one connection to the layer, for all of a transaction's messages
        layer = get_channel_layer()
        await asyncio.gather(*(layer.group_send(group, message) for group, message in pushes))

    async_to_sync(send_all)()
