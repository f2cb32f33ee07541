"""The handshake every socket goes through (protocol, token, Origin, limits), and what a client may send."""

import pytest
from channels.db import database_sync_to_async

from accounts.tests.clients import bearer
from accounts.tests.factories import UserFactory
from accounts.tokens import refresh_token_for
from catalog.tests.factories import ProductFactory
from luxyhome.sockets import CLOSE_TOKEN_EXPIRED, CLOSE_TOO_MANY_MESSAGES
from luxyhome.tests.sockets import (
    STOREFRONT,
    access_token,
    close,
    forged_access_token,
    logged_out_access_token,
    protocols,
    socket,
)

pytestmark = pytest.mark.asyncio

create_user = database_sync_to_async(UserFactory)
create_product = database_sync_to_async(ProductFactory)


async def test_orders_socket_accepts_a_valid_token_offered_as_a_subprotocol(socket_db):
    token = await database_sync_to_async(access_token)(await create_user())

    opened = await socket("/ws/orders", offer=protocols(token), origin=STOREFRONT)

    assert (opened.accepted, opened.answer) == (True, "luxyhome.v1")
    await opened.disconnect()


def _session_ended(user) -> str:
    token = access_token(user)
    user.token_version += 1  # as a password change does
    user.save(update_fields=["token_version"])
    return token


@pytest.mark.parametrize(
    "offer",
    [
        lambda user: protocols(),
        lambda user: protocols("not-a-token"),
        lambda user: protocols(forged_access_token(user)),
        lambda user: protocols(access_token(user, seconds=-1)),
        lambda user: protocols(logged_out_access_token(user)),
        lambda user: protocols(_session_ended(user)),
        lambda user: protocols(str(refresh_token_for(user))),
        lambda user: [f"bearer.{access_token(user)}"],
    ],
    ids=["no token", "garbage", "forged", "expired", "logged out", "session ended", "refresh token", "no protocol"],
)
async def test_orders_socket_refuses_the_handshake_without_a_valid_access_token(socket_db, offer):
    offered = await database_sync_to_async(offer)(await create_user())

    opened = await socket("/ws/orders", offer=offered)

    assert opened.accepted is False
    await opened.disconnect()


async def test_orders_socket_closes_with_4401_when_its_token_expires(socket_db):
    token = await database_sync_to_async(access_token)(await create_user(), seconds=1)
    opened = await socket("/ws/orders", offer=protocols(token))
    assert opened.accepted

    closed = await opened.receive_output(timeout=3)

    assert closed == {"type": "websocket.close", "code": CLOSE_TOKEN_EXPIRED}
    await opened.disconnect()


async def test_a_password_change_closes_the_shoppers_open_sockets_with_4401(socket_db):
    user = await create_user(password="old velvet chaise 1894")
    token = await database_sync_to_async(access_token)(user)
    phone, laptop = [await socket("/ws/orders", offer=protocols(token)) for _ in range(2)]
    change = {"current_password": "old velvet chaise 1894", "new_password": "new walnut sideboard 1902"}

    changed = await database_sync_to_async(bearer(token).post)("/api/auth/password", change, format="json")

    assert changed.status_code == 200
    for opened in (phone, laptop):
        assert await opened.receive_output(timeout=2) == {"type": "websocket.close", "code": CLOSE_TOKEN_EXPIRED}
    await close(phone, laptop)


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [(STOREFRONT, True), (None, True), ("https://evil.example", False), ("http://localhost:3001", False)],
)
async def test_a_handshake_from_a_browser_must_come_from_a_storefront(socket_db, origin, accepted):
    product = await create_product()

    opened = await socket(f"/ws/products/{product.pk}", offer=protocols(), origin=origin)

    assert opened.accepted is accepted
    await opened.disconnect()


@pytest.mark.parametrize("offer", [[], ["luxyhome.v1"]])
async def test_product_socket_needs_no_token_and_accepts_what_was_offered(socket_db, offer):
    product = await create_product()

    opened = await socket(f"/ws/products/{product.pk}", offer=offer)

    assert (opened.accepted, opened.answer) == (True, offer[0] if offer else None)
    await opened.disconnect()


@pytest.mark.parametrize(
    "path", ["/ws/products/999999", "/ws/products/archived", "/ws/products/1234567890123456789012", "/ws/elsewhere"]
)
async def test_a_socket_for_nothing_in_the_shop_is_refused(socket_db, path):
    archived = await create_product(is_active=False)

    opened = await socket(path.replace("archived", str(archived.pk)), offer=protocols())

    assert opened.accepted is False
    await opened.disconnect()


async def test_a_product_socket_offering_only_another_protocol_is_refused(socket_db):
    product = await create_product()

    opened = await socket(f"/ws/products/{product.pk}", offer=["chat.v2"])

    assert opened.accepted is False
    await opened.disconnect()


async def test_one_shopper_holds_at_most_20_sockets(socket_db):
    user = await create_user()
    token = await database_sync_to_async(access_token)(user)
    # each from its own address: the user's limit, not the client's, is what refuses
    held = [await socket("/ws/orders", offer=protocols(token), client=f"10.0.0.{n}") for n in range(20)]

    refused = await socket("/ws/orders", offer=protocols(token), client="10.0.1.1")
    await close(held.pop())
    after_one_closed = await socket("/ws/orders", offer=protocols(token), client="10.0.1.1")

    assert all(opened.accepted for opened in held)
    assert refused.accepted is False
    assert after_one_closed.accepted
    await close(*held, refused, after_one_closed)


async def test_one_client_address_holds_at_most_50_sockets_an_ipv6_client_being_its_64(socket_db):
    product = await create_product()
    path = f"/ws/products/{product.pk}"
    held = [await socket(path, client=f"2001:db8:1:2::{n:x}") for n in range(50)]

    refused = await socket(path, client="2001:db8:1:2:ffff::1")  # the same /64
    elsewhere = await socket(path, client="2001:db8:1:3::1")

    assert all(opened.accepted for opened in held)
    assert refused.accepted is False
    assert elsewhere.accepted
    await close(*held, refused, elsewhere)


async def test_a_client_that_keeps_sending_is_closed_with_4429(socket_db, settings):
    settings.WEBSOCKET_MESSAGES_PER_MINUTE = 3
    product = await create_product()
    opened = await socket(f"/ws/products/{product.pk}")

    await opened.send_to(text_data='{"type": "hello"}')
    await opened.send_to(bytes_data=b"\x00\xff")
    await opened.send_to(text_data="not json")
    assert await opened.receive_nothing(timeout=0.2)  # dropped, the socket stays open
    await opened.send_to(text_data="one too many")

    assert await opened.receive_output(timeout=1) == {"type": "websocket.close", "code": CLOSE_TOO_MANY_MESSAGES}
    await opened.disconnect()
