"""Pushes are best-effort: a channel layer that is down loses a message, never the change behind it."""

import pytest

from cart.tests.factories import fill_cart
from luxyhome.tests.servers import free_port
from orders.models import Order
from orders.tests.test_api import place

pytestmark = pytest.mark.django_db


def test_an_order_is_placed_and_answered_while_the_channel_layer_is_down(
    settings, shopper, shopper_client, sofa, committed, caplog, wait_until
):
    closed = f"redis://127.0.0.1:{free_port()}"
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": closed, "socket_connect_timeout": 1}]},
        }
    }
    fill_cart(shopper, (sofa, 1))

    with committed():
        response = place(shopper_client)

    assert response.status_code == 201
    assert Order.objects.get().status == "pending"

    def logged():
        """the lost pushes logged"""
        return "Could not push" in caplog.text

    wait_until(logged)
