"""The sockets end to end: a real uvicorn (socket_server) on the test database and Redis, a real client
(websockets), and changes made by this process reaching it through the Redis channel layer."""

import json
import time
from contextlib import ExitStack
from datetime import timedelta

import pytest
from django.db import connection
from websockets.exceptions import ConnectionClosed

from accounts.tests.factories import UserFactory
from catalog.services import product_update
from catalog.tests.factories import ProductFactory
from luxyhome.sockets import CLOSE_TOKEN_EXPIRED
from luxyhome.tests.servers import SocketServer
from luxyhome.tests.sockets import (
    access_token,
    forged_access_token,
    logged_out_access_token,
    open_socket,
    protocols,
    refused,
)
from orders.services import orders_expire
from orders.tests.factories import place_order
from orders.tests.test_expiry import TTL, age

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stock_change_reaches_the_products_socket(socket_server, staff_client):
    sofa = ProductFactory(stock=4)
    with open_socket(socket_server, f"/ws/products/{sofa.pk}") as socket:
        assert socket.subprotocol == "luxyhome.v1"

        assert staff_client.patch(f"/api/products/{sofa.pk}", {"stock": 1}, format="json").status_code == 200

        message = json.loads(socket.recv(timeout=5))
    shown = {"id": sofa.pk, "price": str(sofa.price), "stock": 1, "in_stock": True}
    assert message == {"type": "product.updated", "product": shown}


def test_a_shoppers_socket_hears_their_order_cancelled_by_the_expiry(socket_server):
    shopper = UserFactory()
    order = place_order(shopper, (ProductFactory(), 1))
    with open_socket(socket_server, "/ws/orders", offer=protocols(access_token(shopper))) as socket:
        age(order, TTL + timedelta(seconds=1))

        assert orders_expire() == 1

        heard = json.loads(socket.recv(timeout=5))
    assert heard["type"] == "order.updated"
    assert (heard["order"]["id"], heard["order"]["status"], heard["order"]["payment_status"]) == (
        order.pk,
        "cancelled",
        "unpaid",
    )


def test_the_orders_socket_refuses_a_missing_forged_or_logged_out_token_and_a_foreign_origin(socket_server):
    user = UserFactory()

    assert refused(socket_server, "/ws/orders") == 403
    assert refused(socket_server, "/ws/orders", offer=protocols(forged_access_token(user))) == 403
    assert refused(socket_server, "/ws/orders", offer=protocols(logged_out_access_token(user))) == 403
    valid = protocols(access_token(user))
    assert refused(socket_server, "/ws/orders", offer=valid, origin="https://evil.example") == 403
    with open_socket(socket_server, "/ws/orders", offer=valid) as socket:
        assert socket.subprotocol == "luxyhome.v1"


def test_the_21st_socket_of_one_shopper_is_refused(socket_server):
    offer = protocols(access_token(UserFactory()))
    with ExitStack() as held:
        for _ in range(20):
            held.enter_context(open_socket(socket_server, "/ws/orders", offer=offer))

        assert refused(socket_server, "/ws/orders", offer=offer) == 403


def test_a_socket_is_closed_with_4401_when_its_token_expires(socket_server):
    offer = protocols(access_token(UserFactory(), seconds=2))
    with open_socket(socket_server, "/ws/orders", offer=offer) as socket, pytest.raises(ConnectionClosed) as closed:
        socket.recv(timeout=6)
    assert closed.value.rcvd.code == CLOSE_TOKEN_EXPIRED


def test_a_socket_idle_for_30_seconds_still_receives(socket_server):
    sofa = ProductFactory(stock=4)
    with open_socket(socket_server, f"/ws/products/{sofa.pk}") as socket:
        time.sleep(30)  # past redis-py's 5 s socket timeout, and a ping round of the server's

        product_update(product=sofa, stock=2)

        assert json.loads(socket.recv(timeout=5))["product"]["stock"] == 2


def _server_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [SocketServer.DATABASE_APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


def test_200_sockets_opened_and_closed_leave_no_database_connection_open(socket_server, wait_until):
    sofa = ProductFactory()
    before = _server_connections()

    for _ in range(200):  # each handshake reads the product from the database
        with open_socket(socket_server, f"/ws/products/{sofa.pk}"):
            pass

    # the last handshake's connection closes as its request ends; a leaked one would stay open
    wait_until(lambda: _server_connections() <= before, seconds=10)
    assert before == 0  # none kept between handshakes either: a kept one belongs to a thread that may never run again
