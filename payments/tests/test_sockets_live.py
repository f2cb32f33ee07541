"""The shopper's socket end to end, served by a real uvicorn (socket_server): their order paid after
Stripe's signed webhook reaches it, and nothing of another shopper's order does."""

import json

import pytest

from accounts.tests.factories import UserFactory
from luxyhome.tests.sockets import ORDER_FIELDS, access_token, open_socket, protocols
from orders.tests.factories import place_order
from payments.gateway import minor_units
from payments.tests.test_payments import confirm, pay_url, succeeded

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_shoppers_socket_hears_the_order_paid_after_the_signed_webhook_and_nothing_of_anothers(
    socket_server, stripe_shop, client_for, post_event, sofa
):
    shopper, stranger = UserFactory(), UserFactory()
    order = place_order(shopper, (sofa, 1))
    intent_id = client_for(shopper).post(pay_url(order)).json()["id"]
    confirm(stripe_shop, intent_id)
    with (
        open_socket(socket_server, "/ws/orders", offer=protocols(access_token(shopper))) as mine,
        open_socket(socket_server, "/ws/orders", offer=protocols(access_token(stranger))) as theirs,
    ):
        assert post_event(succeeded(intent_id, minor_units(order.total, order.currency))).status_code == 200

        heard = json.loads(mine.recv(timeout=10))
        with pytest.raises(TimeoutError):
            theirs.recv(timeout=1)

    shown = client_for(shopper).get(f"/api/orders/{order.pk}").json()
    assert heard == {
        "type": "order.updated",
        "order": {field: shown[field] for field in ORDER_FIELDS},
    }
    assert (heard["order"]["status"], heard["order"]["payment_status"]) == ("paid", "paid")
