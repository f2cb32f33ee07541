"""Checkout under concurrency, on PostgreSQL: threads with their own connections, through the API."""

from collections import Counter

import pytest

from accounts.tests.factories import UserFactory
from cart.models import CartItem
from cart.tests.factories import fill_cart
from catalog.tests.factories import ProductFactory
from luxyhome.tests.threads import at_once
from orders.models import Order
from orders.tests.factories import SHIPPING_ADDRESS

pytestmark = pytest.mark.django_db(transaction=True)


def place_order(client, **headers):
    return lambda: client.post("/api/orders", {"shipping_address": SHIPPING_ADDRESS}, **headers)


def outcome(response) -> str:
    return f"{response.status_code} {response.json().get('code', '')}".strip()


def test_twenty_shoppers_five_in_stock_exactly_five_orders(postgresql, client_for):
    sofa = ProductFactory(stock=5)
    shoppers = UserFactory.create_batch(20)
    for shopper in shoppers:
        fill_cart(shopper, (sofa, 1))

    answers = at_once([place_order(client_for(shopper)) for shopper in shoppers])

    assert Counter(outcome(a) for a in answers) == {"201": 5, "409 insufficient_stock": 15}
    sofa.refresh_from_db()
    assert sofa.stock == 0
    assert Order.objects.count() == 5


def test_opposite_line_orders_do_not_deadlock(postgresql, client_for):
    sofa, lamp = ProductFactory(stock=5), ProductFactory(stock=5)
    shoppers = UserFactory.create_batch(20)
    for n, shopper in enumerate(shoppers):
        lines = [(sofa, 1), (lamp, 1)] if n % 2 else [(lamp, 1), (sofa, 1)]
        fill_cart(shopper, *lines)

    answers = at_once([place_order(client_for(shopper)) for shopper in shoppers])

    assert Counter(outcome(a) for a in answers) == {"201": 5, "409 insufficient_stock": 15}
    sofa.refresh_from_db()
    lamp.refresh_from_db()
    assert (sofa.stock, lamp.stock) == (0, 0)
    assert Order.objects.count() == 5


def test_racing_replays_of_one_key_place_one_order(postgresql, client_for):
    sofa = ProductFactory(stock=10)
    shopper = UserFactory()
    fill_cart(shopper, (sofa, 1))

    answers = at_once([place_order(client_for(shopper), HTTP_IDEMPOTENCY_KEY="double-click") for _ in range(10)])

    order = Order.objects.get()
    for answer in answers:
        assert outcome(answer) in {"201", "409 idempotency_key_in_use"}
        if answer.status_code == 201:
            assert answer.json()["id"] == order.id
    sofa.refresh_from_db()
    assert sofa.stock == 9


def test_one_cart_checked_out_twice_at_once_makes_one_order(postgresql, client_for):
    sofa = ProductFactory(stock=10)
    shopper = UserFactory()
    fill_cart(shopper, (sofa, 2))

    answers = at_once([place_order(client_for(shopper)) for _ in range(5)])

    assert Counter(outcome(a) for a in answers) == {"201": 1, "400 cart_empty": 4}
    sofa.refresh_from_db()
    assert sofa.stock == 8


def test_cancelling_twice_at_once_gives_the_stock_back_once(postgresql, client_for):
    sofa = ProductFactory(stock=5)
    shopper = UserFactory()
    fill_cart(shopper, (sofa, 2))
    client = client_for(shopper)
    order_id = place_order(client)().json()["id"]

    answers = at_once([lambda: client_for(shopper).post(f"/api/orders/{order_id}/cancel") for _ in range(4)])

    assert Counter(outcome(a) for a in answers) == {"200": 1, "409 invalid_status_transition": 3}
    sofa.refresh_from_db()
    assert sofa.stock == 5


def test_concurrent_adds_of_one_product_land_on_one_line(postgresql, client_for):
    sofa = ProductFactory(stock=50)
    shopper = UserFactory()

    answers = at_once([lambda: client_for(shopper).post("/api/cart/items", {"product_id": sofa.id}) for _ in range(10)])

    assert Counter(a.status_code for a in answers) == {201: 10}
    assert CartItem.objects.get().quantity == 10
    # each answer is the cart right after its own add
    assert sorted(a.json()["items"][0]["quantity"] for a in answers) == list(range(1, 11))


def test_a_line_removed_while_more_of_its_product_is_added_is_one_or_the_other(postgresql, client_for):
    sofa = ProductFactory(stock=50)
    shopper = UserFactory()
    for _ in range(5):
        line = client_for(shopper).post("/api/cart/items", {"product_id": sofa.id}).json()["items"][0]["id"]

        added, removed = at_once(
            [
                lambda: client_for(shopper).post("/api/cart/items", {"product_id": sofa.id, "quantity": 2}),
                lambda line=line: client_for(shopper).delete(f"/api/cart/items/{line}"),
            ]
        )

        assert (added.status_code, removed.status_code) == (201, 204)
        left = list(CartItem.objects.values_list("quantity", flat=True))
        assert left in ([], [2])  # added to the line, then all removed; or removed, then a new line of 2
        CartItem.objects.all().delete()
