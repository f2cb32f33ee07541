"""Cart writes under concurrency, on PostgreSQL: threads with their own connections, through the API."""

from collections import Counter

import pytest

from cart.models import MAX_LINES, CartItem
from cart.tests.factories import fill_cart
from catalog.tests.factories import ProductFactory
from luxyhome.tests.threads import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_racing_adds_to_a_cart_one_line_from_full_make_it_exactly_full(postgresql, shopper, client_for):
    fill_cart(shopper, *((product, 1) for product in ProductFactory.create_batch(MAX_LINES - 1)))
    others = ProductFactory.create_batch(5)

    def add(product):
        return lambda: client_for(shopper).post("/api/cart/items", {"product_id": product.id})

    answers = at_once([add(product) for product in others])

    assert Counter(a.status_code for a in answers) == {201: 1, 409: 4}
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"cart_full"}
    assert CartItem.objects.filter(cart__user=shopper).count() == MAX_LINES
