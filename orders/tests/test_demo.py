"""The demo trade seed_demo writes in development: weeks of orders in every status, as checkout, the
status changes and the payments app would have left them, and carts; written once."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.utils import timezone

from accounts.models import User
from cart.models import Cart, CartItem, CartSpan
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from orders.demo import demo_trade_ensure
from orders.demo_data import DAYS, DOMAIN, SHOPPERS
from orders.models import Order, OrderItem
from orders.services import order_status_change
from outbox.models import Email
from payments.models import Payment, Refund

pytestmark = pytest.mark.django_db

Status = Order.Status
TABLES = (User, Order, OrderItem, Payment, Refund, Cart, CartSpan, CartItem)
PRICES_AND_STOCK = [(240, 25), (380, 14), (840, 10), (1250, 9), (2400, 6), (3600, 3), (4600, 5), (8400, 4), (9600, 2)]


@pytest.fixture
def products():
    sold_out = ProductFactory(price=Decimal("5800.00"), stock=0)
    return [ProductFactory(price=Decimal(price), stock=stock) for price, stock in PRICES_AND_STOCK] + [sold_out]


@pytest.fixture
def now():
    return timezone.now()


def stock() -> dict[int, int]:
    return dict(Product.objects.values_list("pk", "stock"))


def test_demo_trade_spreads_orders_over_the_weeks_in_every_status(products, now):
    trade = demo_trade_ensure(products=products, now=now)

    orders = list(Order.objects.all())
    assert trade.orders == len(orders) >= 40
    assert trade.shoppers == len(SHOPPERS) == User.objects.filter(orders__isnull=False).distinct().count()
    assert Counter(order.status for order in orders).keys() == set(Status.values)
    assert {order.payment_status for order in orders} == {"unpaid", "paid", "refunded"}
    assert all(now - timedelta(days=DAYS) <= order.created_at <= order.updated_at <= now for order in orders)
    assert len({order.created_at.date() for order in orders}) >= 25  # most days of the five weeks
    cancelled = [order for order in orders if order.status == Status.CANCELLED]
    assert {order.payment_status for order in cancelled} == {"unpaid", "refunded"}
    # the ones awaiting payment can still be paid, by two different shoppers
    pending = [order for order in orders if order.status == Status.PENDING]
    assert len(pending) == len({order.user_id for order in pending}) == 2
    assert all(order.payment_status == "unpaid" and now < order.expires_at for order in pending)


def test_demo_orders_are_whole_and_paid_as_the_payments_app_records_it(products, now):
    demo_trade_ensure(products=products, now=now)

    for order in Order.objects.prefetch_related("items__product", "payments__refunds"):
        items = list(order.items.all())
        assert items
        assert order.total == sum(item.line_total for item in items)
        assert all((item.price, item.product_name) == (item.product.price, item.product.name) for item in items)
        payments = list(order.payments.all())
        if order.payment_status == "unpaid":
            assert payments == []
            continue
        [payment] = payments
        assert (payment.status, payment.amount, payment.currency) == ("succeeded", order.total, order.currency)
        assert order.created_at <= payment.created_at <= order.updated_at
        refunds = list(payment.refunds.all())
        if order.payment_status == "paid":
            assert refunds == []
            continue
        [refund] = refunds
        assert (refund.status, refund.amount) == ("succeeded", order.total)
        assert refund.created_at.date() > order.created_at.date()  # refunded after the day closed
    assert Refund.objects.count() == 2


def test_demo_trade_takes_stock_for_the_open_orders_only_and_a_cancel_gives_it_back(products, now):
    before = stock()

    demo_trade_ensure(products=products, now=now)

    held = Counter()
    open_items = OrderItem.objects.filter(order__status__in=[Status.PENDING, Status.PAID])
    for product_id, quantity in open_items.values_list("product_id", "quantity"):
        held[product_id] += quantity
    assert held
    after = stock()
    assert {pk: before[pk] - after[pk] for pk in before if before[pk] != after[pk]} == held
    assert min(after.values()) >= 0

    for order in Order.objects.filter(status__in=[Status.PENDING, Status.PAID]):
        order_status_change(order=order, status=Status.CANCELLED)

    assert stock() == before


def test_demo_trade_fills_the_carts_before_each_order_and_between_them(products, now):
    trade = demo_trade_ensure(products=products, now=now)

    spans = list(CartSpan.objects.select_related("cart").order_by("started_at"))
    assert trade.carts == len(spans)
    assert all(now - timedelta(days=DAYS + 1) <= span.started_at <= (span.ended_at or now) <= now for span in spans)
    by_cart = {}
    for span in spans:
        by_cart.setdefault(span.cart, []).append(span)
    for cart, its_spans in by_cart.items():
        for before, after in pairwise(its_spans):
            assert before.ended_at is not None
            assert before.ended_at <= after.started_at  # one cart holds lines once at a time
        assert cart.created_at == its_spans[0].started_at
        # each order emptied the cart it came from
        placed = set(cart.user.orders.values_list("created_at", flat=True))
        assert placed <= {span.ended_at for span in its_spans}
        holding = its_spans[-1].ended_at is None
        assert holding == CartItem.objects.filter(cart=cart).exists()
    assert len([span for span in spans if span.ended_at is None]) == 4
    paid = Order.objects.exclude(payment_status="unpaid").count()
    assert 0.2 < paid / len(spans) < 0.6  # a conversion the dashboard can show


def test_demo_trade_is_written_once(products, now, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):  # bulk inserts: the count does not grow with the orders
        demo_trade_ensure(products=products, now=now)
    rows = [model.objects.count() for model in TABLES]
    before = stock()

    assert demo_trade_ensure(products=products, now=timezone.now()) is None

    assert [model.objects.count() for model in TABLES] == rows
    assert stock() == before


def test_demo_trade_sends_no_email_and_nobody_signs_in_as_a_demo_account(
    products, now, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demo_trade_ensure(products=products, now=now)

    assert (mailoutbox, Email.objects.count()) == ([], 0)
    accounts = User.objects.filter(email__endswith=f"@{DOMAIN}")
    assert accounts.count() == len(SHOPPERS)
    assert not any(user.has_usable_password() for user in accounts)
    assert not accounts.filter(is_staff=True).exists()


def test_demo_trade_needs_products():
    assert demo_trade_ensure(products=[]) is None
    assert not User.objects.exists()
