"""Write the demo trade (orders.demo_data) for seed_demo, so the admin and its dashboard have a few
weeks of orders, payments, refunds and carts to show on a fresh development database.

Written once, in one transaction, while no demo shopper exists. Rows are inserted in bulk and their
timestamps set afterwards (bulk_create sets auto_now_add fields to now), and no e-mail goes out.
The orders keep what checkout and the status changes keep: prices copied from the products, the
total their sum, a succeeded Stripe payment of the total behind every order that was paid and a
succeeded refund of it behind every refunded one. Stock: the demo catalog's counts are what is on
hand after the shipped and delivered orders left; the open ones (pending, paid) take theirs from it
as checkout does, so cancelling or expiring one gives back exactly what it took. seed_orders writes its
many generated orders through the same orders_insert.
"""

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from cart.models import Cart, CartItem, CartSpan
from catalog.cache import catalog_changed
from catalog.models import Product
from orders.demo_data import DOMAIN, OPEN, SHOPPERS, PlannedOrder, PlannedSpan, trade_plan
from orders.models import Order, OrderItem
from payments.models import Payment, Refund


class DemoTrade(NamedTuple):
    orders: int
    shoppers: int
    carts: int  # times a cart held lines (cart.models.CartSpan), as the staff figures count carts


@transaction.atomic
def demo_trade_ensure(*, products: list[Product], now: datetime | None = None) -> DemoTrade | None:
    """Write the demo shoppers, their orders of `products` (for sale) and their carts; None, and nothing
    written, when demo shoppers exist already or there is nothing to order."""
    if not products or User.objects.filter(email__iendswith=f"@{DOMAIN}").exists():
        return None
    now = now or timezone.now()
    orders, spans = trade_plan(products=products, now=now)
    joined = min([now, *(span.started for span in spans)]) - timedelta(days=30)
    shoppers = _insert_dated(
        [
            # an unusable password: nobody signs in as a demo shopper
            (
                User(email=_email(shopper.name), name=shopper.name, password=make_password(None)),
                {"created_at": joined - timedelta(days=7 * index)},
            )
            for index, shopper in enumerate(SHOPPERS)
        ]
    )
    orders_insert(orders, shipped_to=lambda planned: _shipped_to_demo_shopper(planned, shoppers), tag="demo")
    _stock_take(orders)
    _carts_insert(spans, shoppers)
    return DemoTrade(orders=len(orders), shoppers=len(shoppers), carts=len(spans))


def _email(name: str) -> str:
    return f"{slugify(name).replace('-', '.')}@{DOMAIN}"


def _insert_dated(rows: list[tuple[Model, dict[str, datetime]]]) -> list[Model]:
    """Insert the rows, then give each its timestamps (every row the same fields)."""
    if not rows:
        return []
    manager = type(rows[0][0]).objects
    objs = manager.bulk_create(obj for obj, _ in rows)
    for obj, (_, times) in zip(objs, rows, strict=True):
        for field, value in times.items():
            setattr(obj, field, value)
    # bulk_update's UPDATE picks each row's value from a CASE with a branch per row: in batches, not in
    # one statement whose work grows with the square of the rows
    manager.bulk_update(objs, list(rows[0][1]), batch_size=1_000)
    return objs


def orders_insert(plan: list[PlannedOrder], *, shipped_to: Callable[[PlannedOrder], dict], tag: str) -> None:
    """Write the planned orders as checkout and the payments leave them: dated as planned, their lines at
    the products' prices and the total their sum, a succeeded payment of the total behind every order
    that was paid and a succeeded refund of it behind every refunded one. `shipped_to(planned)` gives an
    order's `user` and `shipping_…` fields; `tag` names the made-up Stripe ids (`pi_<tag>_…`)."""
    orders = _insert_dated(
        [(_order(p, shipped_to(p)), {"created_at": p.placed, "updated_at": p.changed}) for p in plan]
    )
    OrderItem.objects.bulk_create(
        OrderItem(order=order, product=product, product_name=product.name, quantity=quantity, price=product.price)
        for order, planned in zip(orders, plan, strict=True)
        for product, quantity in planned.lines
    )
    paid = [(order, p) for order, p in zip(orders, plan, strict=True) if p.payment_status != Order.PaymentStatus.UNPAID]
    payments = _insert_dated(
        [
            (
                Payment(
                    order=order,
                    intent_id=f"pi_{tag}_{order.pk:06d}",
                    status=Payment.SUCCEEDED,
                    amount=order.total,
                    currency=order.currency,
                ),
                dict.fromkeys(["created_at", "updated_at"], min(p.placed + timedelta(minutes=1), p.changed)),
            )
            for order, p in paid
        ]
    )
    _insert_dated(
        [
            (
                Refund(
                    payment=payment,
                    amount=payment.amount,
                    status=Refund.Status.SUCCEEDED,
                    stripe_id=f"re_{tag}_{payment.order_id:06d}",
                ),
                dict.fromkeys(["created_at", "updated_at"], p.changed),
            )
            for payment, (_, p) in zip(payments, paid, strict=True)
            if p.payment_status == Order.PaymentStatus.REFUNDED
        ]
    )


def _order(planned: PlannedOrder, shipped_to: dict) -> Order:
    return Order(
        status=planned.status,
        payment_status=planned.payment_status,
        total=sum((product.price * quantity for product, quantity in planned.lines), Decimal("0.00")),
        currency=settings.CURRENCY,
        **shipped_to,
    )


def _shipped_to_demo_shopper(planned: PlannedOrder, shoppers: list[User]) -> dict:
    shopper = SHOPPERS[planned.shopper]
    return {
        "user": shoppers[planned.shopper],
        "shipping_full_name": shopper.name,
        "shipping_line1": shopper.line1,
        "shipping_city": shopper.city,
        "shipping_postal_code": shopper.postal_code,
        "shipping_country": shopper.country,
        "shipping_phone": shopper.phone,
    }


def _stock_take(plan: list[PlannedOrder]) -> None:
    """Take the open orders' lines off the stock, as checkout took them."""
    taken = Counter()
    for planned in plan:
        if planned.status in OPEN:
            for product, quantity in planned.lines:
                taken[product.pk] += quantity
    for product_id, quantity in sorted(taken.items()):  # product-id order, as checkout takes it
        Product.objects.filter(pk=product_id).update(stock=F("stock") - quantity)
    if taken:
        catalog_changed(searchable=False)  # stock shows in product answers


def _carts_insert(spans: list[PlannedSpan], shoppers: list[User]) -> None:
    """Each shopper's cart, made when it first held lines, with the times it held them and the lines it
    holds now."""
    moments = {}
    for span in spans:
        first, last = moments.get(span.shopper, (span.started, span.started))
        moments[span.shopper] = (min(first, span.started), max(last, span.ended or span.started))
    carts = _insert_dated(
        [
            (Cart(user=shoppers[shopper]), {"created_at": first, "updated_at": last})
            for shopper, (first, last) in moments.items()
        ]
    )
    cart_of = dict(zip(moments, carts, strict=True))
    CartSpan.objects.bulk_create(
        CartSpan(cart=cart_of[span.shopper], started_at=span.started, ended_at=span.ended) for span in spans
    )
    _insert_dated(
        [
            (CartItem(cart=cart_of[span.shopper], product=product, quantity=1), {"created_at": span.started})
            for span in spans
            for product in span.products
        ]
    )
