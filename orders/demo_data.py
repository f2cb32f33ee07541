"""The demo trade seed_demo writes (orders.demo): who shops, and a seeded plan of a few weeks of
orders and of the times the shoppers' carts held lines, ending at `now`. Plain data: nothing here
touches the database.

An order's status follows its age, as staff would have moved it along: paid the last day or two,
then shipped, delivered after about a week; a few never paid (cancelled by the expiry sweep), two
paid and then cancelled and refunded a day or two later, and two awaiting payment right now.
"""

import random
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings

from catalog.models import Product
from orders.models import Order

Status, PaymentStatus = Order.Status, Order.PaymentStatus

DOMAIN = "demo.luxyhome.example"  # of every demo account's e-mail address
DAYS = 35
SEED = 20_240_715  # fixed: every fresh database gets the same history, ending on the day it is made
ORDERS_A_DAY = {0: 1, 1: 3, 2: 4, 3: 2, 4: 1}  # how many orders in a day, and how often: about two
CARTS_LEFT_A_DAY = (1, 4)  # carts filled and emptied again without an order, each day: a third convert
HOLDING_NOW = (2, 3, 4, 5)  # shoppers whose cart holds lines now
EXPIRED_SHARE = 0.08  # orders never paid
REFUNDED = 2
OPEN = {Status.PENDING, Status.PAID}  # the statuses that still hold their stock and may give it back


class DemoShopper(NamedTuple):
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    phone: str


SHOPPERS = (
    DemoShopper("Ada Whitmore", "12 Mayfair Row", "London", "W1K 2AB", "GB", "+44 20 7946 0000"),
    DemoShopper("Camille Marchand", "8 rue de Turenne", "Paris", "75004", "FR", "+33 1 42 72 00 00"),
    DemoShopper("Lorenzo Bianchi", "Via Borgonuovo 21", "Milan", "20121", "IT", "+39 02 8646 0000"),
    DemoShopper("Eleanor Vance", "145 Perry Street", "New York", "10014", "US", "+1 212 555 0101"),
    DemoShopper("Sofia Lindqvist", "Strandvägen 7", "Stockholm", "114 56", "SE", "+46 8 660 00 00"),
    DemoShopper("Hiro Tanaka", "3-12-1 Minami-Aoyama", "Tokyo", "107-0062", "JP", "+81 3 5555 0100"),
    DemoShopper("Isabel Ortega", "Calle de Serrano 48", "Madrid", "28001", "ES", "+34 915 55 01 02"),
    DemoShopper("Maximilian Roth", "Maximilianstrasse 17", "Munich", "80539", "DE", "+49 89 5555 0100"),
    DemoShopper("Grace Okafor", "22 Chalcot Square", "London", "NW1 8YA", "GB", "+44 20 7946 0123"),
    DemoShopper("Julian Ashford", "910 North Rush Street", "Chicago", "60611", "US", "+1 312 555 0142"),
    DemoShopper("Anouk de Vries", "Herengracht 502", "Amsterdam", "1017 CB", "NL", "+31 20 555 0100"),
    DemoShopper("Theo Laurent", "Rue du Rhone 40", "Geneva", "1204", "CH", "+41 22 555 01 00"),
)


class PlannedOrder(NamedTuple):
    shopper: int  # its shopper's index: in SHOPPERS for the demo trade
    placed: datetime
    changed: datetime  # its last status or payment change
    status: str
    payment_status: str
    lines: list[tuple[Product, int]]


class PlannedSpan(NamedTuple):
    """A stretch of time a shopper's cart held lines (cart.models.CartSpan)."""

    shopper: int
    started: datetime  # a line put into the empty cart
    ended: datetime | None  # emptied, by checkout or by taking the lines out; None: it holds them now
    products: list[Product]  # the lines it holds now, one of each; none once it ended


def trade_plan(*, products: list[Product], now: datetime) -> tuple[list[PlannedOrder], list[PlannedSpan]]:
    """The demo orders of `products` (for sale, with their stock now) over the last DAYS days, oldest
    first but the two awaiting payment last; and the times the shoppers' carts held lines, oldest first."""
    rng = random.Random(SEED)
    orders = _orders(rng, products, now)
    return orders, _spans(rng, orders, products, now)


def _orders(rng: random.Random, products: list[Product], now: datetime) -> list[PlannedOrder]:
    ttl = timedelta(seconds=settings.PENDING_ORDER_TTL_SECONDS)
    stock = {product.pk: product.stock for product in products}
    placings = [
        (now - timedelta(days=day, seconds=rng.randrange(86_400)), rng.randrange(len(SHOPPERS)))
        for day in range(DAYS)
        for _ in range(rng.choices(list(ORDERS_A_DAY), weights=list(ORDERS_A_DAY.values()))[0])
    ]
    orders = []
    for placed, shopper in sorted(placings):
        status, payment_status, changed = _fate(rng, placed, now)
        if lines := _lines(rng, products, stock if status in OPEN else None):
            orders.append(PlannedOrder(shopper, placed, changed, status, payment_status, lines))
    for shopper, share in enumerate((0.6, 0.25)):  # two shoppers: neither near MAX_PENDING_ORDERS
        placed = now - ttl * share
        if lines := _lines(rng, products, stock):
            orders.append(PlannedOrder(shopper, placed, placed, Status.PENDING, PaymentStatus.UNPAID, lines))
    return _refunded(rng, orders, now)


def _fate(rng: random.Random, placed: datetime, now: datetime) -> tuple[str, str, datetime]:
    """(status, payment status, when it last changed) of an order placed at `placed`, by its age."""
    ttl = timedelta(seconds=settings.PENDING_ORDER_TTL_SECONDS)
    days = (now - placed) / timedelta(days=1)
    if now - placed > ttl and rng.random() < EXPIRED_SHARE:
        return Status.CANCELLED, PaymentStatus.UNPAID, placed + ttl
    progress = days + rng.uniform(-1, 1)  # staff are not equally quick with every order
    if progress < 2:
        status, after = Status.PAID, timedelta(minutes=rng.randint(1, 10))
    elif progress < 6:
        status, after = Status.SHIPPED, timedelta(hours=rng.randint(20, 44))
    else:
        status, after = Status.DELIVERED, timedelta(hours=rng.randint(70, 120))
    return status, PaymentStatus.PAID, min(placed + after, now)


def _lines(rng: random.Random, products: list[Product], stock: dict[int, int] | None) -> list[tuple[Product, int]]:
    """One to three products, now and then two of a cheaper one. With `stock` (an open order's), only
    what it holds, and the lines are taken from it."""
    choices = [p for p in products if stock is None or stock[p.pk] > 0]
    picked = rng.sample(choices, min(len(choices), rng.choices((1, 2, 3), weights=(6, 3, 1))[0]))
    lines = []
    for product in picked:
        quantity = 2 if product.price < 1000 and rng.random() < 0.3 else 1
        if stock is not None:
            quantity = min(quantity, stock[product.pk])
            stock[product.pk] -= quantity
        lines.append((product, quantity))
    return lines


def _refunded(rng: random.Random, orders: list[PlannedOrder], now: datetime) -> list[PlannedOrder]:
    """REFUNDED of the orders shipped or delivered three days ago or more (they hold no stock) become
    paid ones staff cancelled a day or two later: each refund lands on a later day than its sale."""
    candidates = [
        i
        for i, order in enumerate(orders)
        if order.status in (Status.SHIPPED, Status.DELIVERED) and now - order.placed > timedelta(days=3)
    ]
    for i in rng.sample(candidates, min(REFUNDED, len(candidates))):
        changed = orders[i].placed + timedelta(hours=rng.randint(26, 60))
        orders[i] = orders[i]._replace(status=Status.CANCELLED, payment_status=PaymentStatus.REFUNDED, changed=changed)
    return orders


def _spans(rng: random.Random, orders: list[PlannedOrder], products: list[Product], now: datetime) -> list[PlannedSpan]:
    """A cart filled before each order and emptied by its checkout; a few a day filled and emptied again
    without an order; and a few holding lines now. A shopper's one cart holds lines once at a time."""
    spans, last = [], {}
    for order in sorted(orders, key=lambda order: order.placed):
        started = order.placed - timedelta(minutes=rng.randint(5, 90))
        spans.append(PlannedSpan(order.shopper, max(started, last.get(order.shopper, started)), order.placed, []))
        last[order.shopper] = order.placed
    for day in range(DAYS):
        for _ in range(rng.randint(*CARTS_LEFT_A_DAY)):
            shopper, started = rng.randrange(len(SHOPPERS)), now - timedelta(days=day, seconds=rng.randrange(86_400))
            ended = min(started + timedelta(minutes=rng.randint(5, 120)), now)
            if all(span.shopper != shopper or span.ended < started or ended < span.started for span in spans):
                spans.append(PlannedSpan(shopper, started, ended, []))
    for shopper in HOLDING_NOW:
        latest = max((span.ended for span in spans if span.shopper == shopper), default=now - timedelta(days=DAYS))
        started = max(latest + timedelta(minutes=10), now - timedelta(hours=rng.randint(2, 48)))
        if started < now:
            spans.append(PlannedSpan(shopper, started, None, rng.sample(products, min(len(products), 2))))
    return sorted(spans, key=lambda span: span.started)
