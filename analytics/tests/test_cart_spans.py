"""The carts the figures count (cart.models.CartSpan): each time a cart is filled, until it is emptied."""

import pytest

from accounts.tests.factories import UserFactory
from cart.models import CartItem, CartSpan
from cart.services import cart_add, cart_item_remove
from orders.services import order_place
from orders.tests.factories import SHIPPING_ADDRESS

pytestmark = pytest.mark.django_db


def spans(user) -> list[bool]:
    """The user's cart's spans, oldest first: True while open."""
    return [
        ended is None
        for ended in CartSpan.objects.filter(cart__user=user).order_by("id").values_list("ended_at", flat=True)
    ]


def test_a_span_lasts_from_the_first_line_to_the_last_removed(sofa, lamp):
    shopper = UserFactory()
    cart_add(user=shopper, product_id=sofa.pk)
    cart_add(user=shopper, product_id=lamp.pk)
    cart_add(user=shopper, product_id=lamp.pk)
    assert spans(shopper) == [True]

    for line in CartItem.objects.filter(cart__user=shopper):
        cart_item_remove(user=shopper, item_id=line.pk)
        assert spans(shopper) == [CartItem.objects.filter(cart__user=shopper).exists()]


def test_checkout_ends_the_span_and_the_next_line_starts_another(sofa, lamp):
    shopper = UserFactory()
    cart_add(user=shopper, product_id=sofa.pk)

    order_place(user=shopper, shipping_address=SHIPPING_ADDRESS)
    assert spans(shopper) == [False]
    cart_add(user=shopper, product_id=lamp.pk)

    assert spans(shopper) == [False, True]


def test_a_cart_emptied_some_other_way_has_its_span_ended_when_filled_again(sofa):
    shopper = UserFactory()
    cart_add(user=shopper, product_id=sofa.pk)
    CartItem.objects.all().delete()  # not through the cart's services

    cart_add(user=shopper, product_id=sofa.pk)

    assert spans(shopper) == [False, True]


def test_a_deleted_account_ends_its_carts_span(sofa):
    shopper = UserFactory()
    cart_add(user=shopper, product_id=sofa.pk)
    span = CartSpan.objects.get(cart__user=shopper)

    shopper.delete()

    span.refresh_from_db()
    assert (span.cart, span.ended_at is not None) == (None, True)
