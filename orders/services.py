"""Placing orders and moving them along their lifecycle."""

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cart.models import Cart, CartItem
from cart.services import cart_changed, cart_empty
from catalog.cache import catalog_changed
from catalog.exceptions import InsufficientStock, Shortage
from catalog.models import Product
from catalog.realtime import products_updated_send
from luxyhome.metrics import CHECKOUT_CONFLICTS, ORDERS_PLACED
from orders.emails import order_email_queue
from orders.exceptions import (
    CartEmpty,
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
    InvalidStatusTransition,
    OrderTotalTooLarge,
    TooManyPendingOrders,
)
from orders.models import IdempotencyKey, Order, OrderItem
from orders.realtime import order_updated_send
from payments import services as payment_services  # a module: payments.services calls back into this one

Status = Order.Status
TRANSITIONS = {
    Status.PENDING: {Status.PAID, Status.CANCELLED},
    Status.PAID: {Status.SHIPPED, Status.CANCELLED},
    Status.SHIPPED: {Status.DELIVERED},
}
EMAILED_STATUSES = {Status.PAID: "paid", Status.SHIPPED: "shipped", Status.CANCELLED: "cancelled"}
# a claimed key with no order after this long was left by a request that died mid-way
CLAIM_TIMEOUT = timedelta(minutes=2)
IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=24)
_total = Order._meta.get_field("total")
MAX_ORDER_TOTAL = Decimal(10 ** (_total.max_digits - _total.decimal_places)) - Decimal("0.01")

Lines = list[tuple[int, int]]  # (product id, quantity), in product-id order


def order_place(*, user, shipping_address: dict, idempotency_key: str | None = None) -> Order:
    """Turn the user's cart into a pending order and take the stock, in one transaction.

    Prices come from the database; each product's stock is taken with one conditional UPDATE,
    in product-id order. An Idempotency-Key is claimed first, in a transaction of its own;
    a repeat of the key returns the first order.
    A shopper holds at most MAX_PENDING_ORDERS orders awaiting payment.
    Raises CartEmpty, TooManyPendingOrders, InsufficientStock (naming every short product),
    IdempotencyKeyReused and IdempotencyKeyInUse.
    """
    if idempotency_key is None:
        return _checkout(user=user, shipping_address=shipping_address)
    claim = _claim(user, idempotency_key, shipping_address)
    if claim.order_id:
        return claim.order
    try:
        return _checkout(user=user, shipping_address=shipping_address, claim=claim)
    except Exception:
        claim.delete()  # nothing was placed: the key may carry a corrected request
        raise


def _claim(user, key: str, shipping_address: dict) -> IdempotencyKey:
    """Claim the key in a transaction of its own, so concurrent requests see it at once; or
    return the existing claim when it holds an order placed with the same cart and address."""
    fingerprint = _fingerprint(shipping_address, _cart_lines(user))
    for _ in range(2):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
        except IntegrityError:  # the unique (user, key) constraint decides between racing requests
            claim = IdempotencyKey.objects.select_related("order").filter(user=user, key=key).first()
        if claim is None:  # its request failed and let go of it meanwhile
            continue
        if claim.order is None:
            if timezone.now() - claim.created_at < CLAIM_TIMEOUT:
                raise IdempotencyKeyInUse()
            claim.delete()
            continue
        # after placement the cart is empty: compare with the lines the order was placed from
        lines = _cart_lines(user) or [(item.product_id, item.quantity) for item in claim.order.items.all()]
        if _fingerprint(shipping_address, sorted(lines)) != claim.fingerprint:
            raise IdempotencyKeyReused()
        return claim
    raise IdempotencyKeyInUse()


@transaction.atomic
def _checkout(*, user, shipping_address: dict, claim: IdempotencyKey | None = None) -> Order:
    # the cart row lock makes a shopper's concurrent checkouts of one cart queue: one order
    cart = Cart.objects.select_for_update().filter(user=user).first()
    lines = _cart_lines(user) if cart else []
    if not lines:
        raise CartEmpty()
    # counted under the cart's lock: the shopper's concurrent checkouts cannot both pass
    if Order.objects.awaiting_payment().filter(user=user).count() >= settings.MAX_PENDING_ORDERS:
        raise TooManyPendingOrders(settings.MAX_PENDING_ORDERS)
    _take_stock(lines)
    products = Product.objects.in_bulk([product_id for product_id, _ in lines])
    total = sum((products[pid].price * quantity for pid, quantity in lines), Decimal("0.00"))
    if total > MAX_ORDER_TOTAL:
        raise OrderTotalTooLarge()  # the atomic block gives the stock back
    order = Order.objects.create(
        user=user,
        total=total,
        currency=settings.CURRENCY,
        **{f"shipping_{field}": value for field, value in shipping_address.items()},
    )
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order, product=products[pid], product_name=products[pid].name, quantity=q, price=products[pid].price
        )
        for pid, q in lines
    )
    cart_empty(cart=cart)
    if claim:
        claim.order = order
        claim.fingerprint = _fingerprint(shipping_address, lines)
        claim.save(update_fields=["order", "fingerprint"])
    cart_changed(user=user)
    catalog_changed(searchable=False)  # stock shows in product answers
    products_updated_send(products=products.values())  # read after the stock was taken
    order_updated_send(order=order)
    transaction.on_commit(ORDERS_PLACED.inc)
    order_email_queue(order=order, kind="confirmation")
    return order


def _take_stock(lines: Lines) -> None:
    """Take each line's quantity off its product's stock, or nothing at all."""
    short = []
    for product_id, quantity in lines:  # product-id order: concurrent checkouts queue instead of deadlocking
        taken = Product.objects.available(quantity).filter(pk=product_id).update(stock=F("stock") - quantity)
        if not taken:
            short.append((product_id, quantity))
    if short:
        products = Product.objects.in_bulk([product_id for product_id, _ in short])
        CHECKOUT_CONFLICTS.inc()
        raise InsufficientStock(
            [Shortage(pid, products[pid].name, quantity, products[pid].available) for pid, quantity in short]
        )  # the atomic block gives back what the earlier lines took


def _cart_lines(user) -> Lines:
    return list(CartItem.objects.filter(cart__user=user).order_by("product_id").values_list("product_id", "quantity"))


def _fingerprint(shipping_address: dict, lines: Lines) -> str:
    canonical = json.dumps({"address": shipping_address, "lines": lines}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def order_status_change(*, order: Order, status: str, only_from: set[str] | None = None, reason: str = "") -> Order:
    """Move an order along pending → paid → shipped → delivered, or cancel a pending or paid one.

    `only_from` narrows the statuses it may leave (`reason` then says why). Marking an order paid
    records its payment as paid (the payments service does, or staff for a payment taken outside the
    shop). Cancelling gives the stock back and refunds a paid order in the same transaction. Paying,
    shipping and cancelling e-mail the shopper.
    Raises InvalidStatusTransition.
    """
    # the row lock makes concurrent changes queue, so stock is never given back twice
    order = Order.objects.select_for_update().get(pk=order.pk)
    if only_from is not None and order.status not in only_from:
        raise InvalidStatusTransition(order.status, status, reason)
    if status not in TRANSITIONS.get(order.status, ()):
        raise InvalidStatusTransition(order.status, status)
    return _move(order, status, email=EMAILED_STATUSES.get(status))


def order_cancel(*, order: Order) -> Order:
    """A shopper cancels their own order, which they may only while it is pending."""
    return order_status_change(
        order=order,
        status=Status.CANCELLED,
        only_from={Status.PENDING},
        reason="Only a pending order can be cancelled here; contact us about this one.",
    )


@transaction.atomic
def order_expire(*, order_id: int) -> Order | None:
    """Cancel an order still awaiting payment past PENDING_ORDER_TTL_SECONDS, give its stock back and
    e-mail the shopper. None when it no longer is one: paid, cancelled or expired meanwhile."""
    # locked and re-checked in one query: an order paid while the sweep ran is skipped
    order = Order.objects.expired().select_for_update().filter(pk=order_id).first()
    if order is None:
        return None
    return _move(order, Status.CANCELLED, email="expired")


def orders_expire(*, limit: int = 1000) -> int:
    """Cancel the orders awaiting payment past their time, oldest first, each in a transaction of its
    own (order_expire); returns how many. The next sweep takes any beyond `limit`."""
    expired = Order.objects.expired().order_by("created_at").values_list("pk", flat=True)[:limit]
    return sum(order_expire(order_id=pk) is not None for pk in expired)


def order_payment_status_set(*, order: Order, payment_status: str) -> None:
    """Record a locked order's new payment status (a refund under way, or made) and push it to the
    shopper's sockets, as every change of an order is."""
    order.payment_status = payment_status
    order.save(update_fields=["payment_status", "updated_at"])
    order_updated_send(order=order)


def _move(order: Order, status: str, *, email: str | None) -> Order:
    """Set a locked order's new status, with what goes with it (stock, money, the shopper's e-mail)."""
    if status == Status.CANCELLED:
        _give_back_stock(order)
        payment_services.order_payments_settle(order=order)
    if status == Status.PAID:
        order.payment_status = Order.PaymentStatus.PAID
    order.status = status
    order.save(update_fields=["status", "payment_status", "updated_at"])
    order_updated_send(order=order)
    if email:
        order_email_queue(order=order, kind=email)
    return order


def _give_back_stock(order: Order) -> None:
    lines = order.items.order_by("product_id").values_list("product_id", "quantity")
    for product_id, quantity in lines:
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
    catalog_changed(searchable=False)
    products_updated_send(products=Product.objects.filter(pk__in=[product_id for product_id, _ in lines]))


def idempotency_keys_purge() -> int:
    """Forget Idempotency-Keys older than their 24 hours; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_KEY_LIFETIME).delete()
    return deleted
