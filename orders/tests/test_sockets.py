"""/ws/orders: every change to a shopper's orders reaches their sockets, and nobody else's."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from accounts.tests.clients import bearer
from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from luxyhome.tests.sockets import ORDER_FIELDS, access_token, close, protocols, socket
from orders.models import Order
from orders.services import order_status_change, orders_expire
from orders.tests.factories import place_order
from orders.tests.test_expiry import TTL, age

pytestmark = pytest.mark.asyncio


@database_sync_to_async
def signed_in_shopper() -> tuple:
    user = UserFactory()
    return user, access_token(user)


@database_sync_to_async
def as_the_api_shows_it(token: str, order_id: int) -> dict:
    """What the shopper reads after reconnecting: the fields the socket carries, from GET /api/orders/:id."""
    shown = bearer(token).get(f"/api/orders/{order_id}").json()
    return {field: shown[field] for field in ORDER_FIELDS}


async def test_a_shopper_hears_their_order_placed_paid_and_shipped_and_nothing_of_anothers(socket_db):
    (shopper, token), (_, other_token) = await signed_in_shopper(), await signed_in_shopper()
    mine = await socket("/ws/orders", offer=protocols(token))
    theirs = await socket("/ws/orders", offer=protocols(other_token))
    product = await database_sync_to_async(ProductFactory)()

    order = await database_sync_to_async(place_order)(shopper, (product, 1))
    placed = await mine.receive_json_from(timeout=2)
    for status in (Order.Status.PAID, Order.Status.SHIPPED):
        await database_sync_to_async(order_status_change)(order=order, status=status)
    paid, shipped = await mine.receive_json_from(timeout=2), await mine.receive_json_from(timeout=2)

    assert placed["type"] == paid["type"] == shipped["type"] == "order.updated"
    assert (placed["order"]["status"], placed["order"]["payment_status"]) == ("pending", "unpaid")
    assert (paid["order"]["status"], paid["order"]["payment_status"]) == ("paid", "paid")
    assert shipped["order"] == await as_the_api_shows_it(token, order.pk)
    assert await theirs.receive_nothing(timeout=0.3)
    await close(mine, theirs)


async def test_a_shopper_hears_their_order_cancelled_by_them_and_by_the_expiry(socket_db):
    shopper, token = await signed_in_shopper()
    product = await database_sync_to_async(ProductFactory)()
    first = await database_sync_to_async(place_order)(shopper, (product, 1))
    second = await database_sync_to_async(place_order)(shopper, (product, 1))
    mine = await socket("/ws/orders", offer=protocols(token))

    cancel = await database_sync_to_async(bearer(token).post)(f"/api/orders/{first.pk}/cancel")
    cancelled = await mine.receive_json_from(timeout=2)
    await database_sync_to_async(age)(second, TTL + timedelta(seconds=1))
    assert await database_sync_to_async(orders_expire)() == 1
    expired = await mine.receive_json_from(timeout=2)

    assert cancel.status_code == 200
    assert cancelled["order"] == await as_the_api_shows_it(token, first.pk)
    assert expired["order"] == await as_the_api_shows_it(token, second.pk)
    assert expired["order"]["status"] == "cancelled"
    await close(mine)


async def test_a_rolled_back_change_is_never_heard(socket_db):
    shopper, token = await signed_in_shopper()
    product = await database_sync_to_async(ProductFactory)(stock=1)
    order = await database_sync_to_async(place_order)(shopper, (product, 1))
    mine = await socket("/ws/orders", offer=protocols(token))

    @transaction.atomic
    def pay_then_fail():  # the order is paid, and then what it was part of fails and rolls back
        order_status_change(order=order, status=Order.Status.PAID)
        raise RuntimeError("the rest of the transaction failed")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(pay_then_fail)()
    await database_sync_to_async(order.refresh_from_db)()

    assert await mine.receive_nothing(timeout=0.3)
    assert (order.status, order.payment_status) == ("pending", "unpaid")
    await close(mine)
