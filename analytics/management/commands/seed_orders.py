"""Many orders over the past days, written in bulk, for the analytics benchmark (bench/analytics.py).

The orders are as checkout and the payments leave them (lines at the products' prices, the total their
sum, a succeeded payment behind each paid order and a succeeded refund behind each refunded one), each
from a cart that held its lines a while before; more carts are left without an order. Nothing else
happens: no stock is taken, no e-mail is sent, Stripe is not asked. Then the daily roll-up is refreshed.
"""

import random
import time
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from analytics.services import daily_sales_refresh
from cart.models import CartSpan
from catalog.models import Product
from orders.demo import orders_insert
from orders.demo_data import PlannedOrder
from orders.models import Order

BATCH_SIZE = 5_000
EMAIL_DOMAIN = "seed.luxyhome.example"
Status, PaymentStatus = Order.Status, Order.PaymentStatus
# what became of the orders: (status, payment status) and how often; an order left unpaid expired
OUTCOMES = {
    (Status.DELIVERED, PaymentStatus.PAID): 60,
    (Status.SHIPPED, PaymentStatus.PAID): 8,
    (Status.PAID, PaymentStatus.PAID): 7,
    (Status.CANCELLED, PaymentStatus.UNPAID): 20,
    (Status.CANCELLED, PaymentStatus.REFUNDED): 5,
}
ABANDONED_CARTS_PER_ORDER = 1.5
ADDRESS = {
    "shipping_line1": "12 Velvet Row",
    "shipping_city": "London",
    "shipping_postal_code": "N1 7GU",
    "shipping_country": "GB",
}


class Command(BaseCommand):
    help = (
        "Write N orders (100,000 by default) placed over the last D days (730) by generated shoppers, from the "
        "products for sale (run seed_demo first), with their payments, refunds and carts; then refresh the "
        "daily roll-up. Each run adds more: for a benchmark database, not a shop's."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=100_000, metavar="N")
        parser.add_argument("--days", type=int, default=730, metavar="D")
        parser.add_argument("--shoppers", type=int, default=5_000, metavar="S")
        parser.add_argument("--seed", type=int, default=27, help="the random generator's seed: a run is repeatable")

    def handle(self, *args, orders: int, days: int, shoppers: int, seed: int, **options):
        if min(orders, days, shoppers) < 1:
            raise CommandError("--orders, --days and --shoppers must be 1 or more.")
        products = list(Product.objects.active().only("name", "price"))
        if not products:
            raise CommandError("No product is for sale: run seed_demo first.")
        started, rng, now = time.monotonic(), random.Random(seed), timezone.now()
        with transaction.atomic():
            users = _shoppers(shoppers)
            for first in range(0, orders, BATCH_SIZE):
                count = min(BATCH_SIZE, orders - first)
                _orders(rng, count, users, products, now, days)
        seeded = time.monotonic()
        rolled_up = daily_sales_refresh()
        self.stdout.write(
            f"Seeded {orders:,} orders over {days} days in {seeded - started:.1f} s; "
            f"rolled up {rolled_up} days in {time.monotonic() - seeded:.1f} s."
        )


def _shoppers(count: int) -> list[User]:
    password = make_password(None)  # nobody signs in as them; one hash, not one bcrypt run each
    emails = [f"shopper{n:06d}@{EMAIL_DOMAIN}" for n in range(count)]
    User.objects.bulk_create(
        (User(email=email, name=f"Seed Shopper {n}", password=password) for n, email in enumerate(emails)),
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,  # a second run reuses them
    )
    return list(User.objects.filter(email__in=emails))


def _orders(rng: random.Random, count: int, users: list[User], products: list[Product], now: datetime, days: int):
    placed = sorted(now - timedelta(seconds=rng.uniform(60, days * 86_400)) for _ in range(count))
    outcomes = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()), k=count)
    plan = [
        PlannedOrder(
            shopper=rng.randrange(len(users)),
            placed=at,
            changed=at,
            status=status,
            payment_status=payment_status,
            lines=[(product, rng.randint(1, 2)) for product in rng.sample(products, rng.randint(1, 3))],
        )
        for at, (status, payment_status) in zip(placed, outcomes, strict=True)
    ]

    def shipped_to(planned: PlannedOrder) -> dict:
        user = users[planned.shopper]
        return {"user": user, "shipping_full_name": user.name, **ADDRESS}

    orders_insert(plan, shipped_to=shipped_to, tag="seed")
    _carts(rng, placed, now, days)


def _carts(rng: random.Random, placed: list[datetime], now: datetime, days: int) -> None:
    """The carts the orders came from, each filled a while before checkout, and the carts left: filled and
    emptied again without an order (their carts are gone since: the spans stay, without one)."""
    ordered = (CartSpan(started_at=at - timedelta(minutes=rng.uniform(2, 90)), ended_at=at) for at in placed)
    left = []
    for _ in range(int(len(placed) * ABANDONED_CARTS_PER_ORDER)):
        filled = now - timedelta(seconds=rng.uniform(3_600, days * 86_400))
        left.append(CartSpan(started_at=filled, ended_at=filled + timedelta(minutes=rng.uniform(1, 3 * 1_440))))
    CartSpan.objects.bulk_create([*ordered, *left], batch_size=BATCH_SIZE)
