"""Orders and carts at fixed moments, made as the shop makes them (cart, checkout, payment, refund)."""

import datetime

from accounts.tests.factories import UserFactory
from cart.models import CartSpan
from cart.services import cart_add
from orders.models import Order
from orders.services import order_place, order_status_change
from orders.tests.factories import SHIPPING_ADDRESS
from payments.models import Payment, Refund
from payments.services import refund_record

CART_LEAD = datetime.timedelta(minutes=5)  # how long before checkout a cart got its first line


def cart_filled(at: datetime.datetime, *lines, user=None):
    """A shopper's cart given `lines` (product, quantity) through the cart service; its span starts `at`."""
    user = user or UserFactory()
    for product, quantity in lines:
        cart_add(user=user, product_id=product.pk, quantity=quantity)
    CartSpan.objects.filter(cart__user=user, ended_at=None).update(started_at=at)
    return user


def sale(at: datetime.datetime, *lines, status: str = Order.Status.PAID, by_card: bool = False) -> Order:
    """An order of `lines` (product, quantity) placed at `at` from a cart filled CART_LEAD before, then
    moved to `status` (pending: never paid). `by_card`: paid through Stripe, so it can be refunded."""
    user = cart_filled(at - CART_LEAD, *lines)
    order = order_place(user=user, shipping_address=SHIPPING_ADDRESS)
    if by_card:
        Payment.objects.create(
            order=order, intent_id=f"pi_{order.pk}", status=Payment.SUCCEEDED, amount=order.total, currency="USD"
        )
    for step in _steps(status):
        order = order_status_change(order=order, status=step)
    CartSpan.objects.filter(cart__user=user).update(ended_at=at)
    Order.objects.filter(pk=order.pk).update(created_at=at, updated_at=at)
    order.refresh_from_db()
    return order


def _steps(status: str) -> list[str]:
    Status = Order.Status
    return {
        Status.PENDING: [],
        Status.PAID: [Status.PAID],
        Status.SHIPPED: [Status.PAID, Status.SHIPPED],
        Status.DELIVERED: [Status.PAID, Status.SHIPPED, Status.DELIVERED],
        Status.CANCELLED: [Status.CANCELLED],
    }[status]


def refund(order: Order) -> Order:
    """Staff cancel a card-paid order and Stripe says its refund succeeded (now, not when it was placed)."""
    order_status_change(order=order, status=Order.Status.CANCELLED)
    pending = Refund.objects.get(payment__order=order)
    Refund.objects.filter(pk=pending.pk).update(stripe_id=f"re_{order.pk}")
    refund_record(stripe_refund={"id": f"re_{order.pk}", "status": Refund.Status.SUCCEEDED})
    order.refresh_from_db()
    return order
