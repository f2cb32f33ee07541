"""/ws/products/:id: a product's price and stock changes reach everyone on its page."""

import pytest
from channels.db import database_sync_to_async
from rest_framework.test import APIClient

from catalog.services import product_archive, product_update
from catalog.tests.factories import ProductFactory
from luxyhome.tests.sockets import close, socket
from orders.services import order_cancel
from orders.tests.factories import place_order

pytestmark = pytest.mark.asyncio


@database_sync_to_async
def as_the_api_shows_it(product_id: int) -> dict:
    shown = APIClient().get(f"/api/products/{product_id}").json()
    return {
        "type": "product.updated",
        "product": {field: shown[field] for field in ("id", "price", "stock", "in_stock")},
    }


async def test_a_stock_or_price_change_reaches_the_products_sockets_and_no_other(socket_db):
    sofa, lamp = await database_sync_to_async(ProductFactory.create_batch)(2, stock=5)
    on_sofa, on_lamp = await socket(f"/ws/products/{sofa.pk}"), await socket(f"/ws/products/{lamp.pk}")

    await database_sync_to_async(product_update)(product=sofa, stock=0)
    sold_out = await on_sofa.receive_json_from(timeout=2)
    sold_out_shown = await as_the_api_shows_it(sofa.pk)
    await database_sync_to_async(product_update)(product=sofa, price="1999.00", stock=2)
    repriced = await on_sofa.receive_json_from(timeout=2)

    assert sold_out == sold_out_shown
    assert sold_out["product"]["in_stock"] is False
    assert repriced == await as_the_api_shows_it(sofa.pk)
    assert repriced["product"]["price"] == "1999.00"
    assert await on_lamp.receive_nothing(timeout=0.3)
    await close(on_sofa, on_lamp)


async def test_a_change_that_shows_nowhere_on_the_socket_is_not_pushed(socket_db):
    sofa = await database_sync_to_async(ProductFactory)()
    on_sofa = await socket(f"/ws/products/{sofa.pk}")

    await database_sync_to_async(product_update)(product=sofa, description="Now in velvet.")

    assert await on_sofa.receive_nothing(timeout=0.3)
    await close(on_sofa)


async def test_checkout_cancellation_and_archiving_push_the_stock_left(socket_db):
    sofa = await database_sync_to_async(ProductFactory)(stock=3)
    on_sofa = await socket(f"/ws/products/{sofa.pk}")

    order = await database_sync_to_async(place_order)(None, (sofa, 2))
    taken = await on_sofa.receive_json_from(timeout=2)
    await database_sync_to_async(order_cancel)(order=order)
    given_back = await on_sofa.receive_json_from(timeout=2)
    await database_sync_to_async(product_archive)(product=sofa)
    archived = await on_sofa.receive_json_from(timeout=2)

    assert (taken["product"]["stock"], taken["product"]["in_stock"]) == (1, True)
    assert (given_back["product"]["stock"], given_back["product"]["in_stock"]) == (3, True)
    assert archived["product"]["in_stock"] is False
    await close(on_sofa)
