"""Bench data, made inside Django with the bench's environment: shoppers with access tokens and carts,
and orders awaiting payment.

python bench/prepare.py <work dir> <shoppers> <buyers> <payers>

- shoppers: three cart lines each, for the cart read and cart add scenarios;
- buyers: a ready 3-line cart each, one per order the order scenario may place;
- payers: a pending 3-line order each, with a Payment for a made-up PaymentIntent (pi_bench_000001, ...)
  that the webhook scenario's events pay;
- the products those carts, orders and adds use get a stock no run can exhaust.

Writes shoppers.tokens, buyers.tokens, payments.intents (intent id and amount in cents), products.ids and
words.txt into the work dir, one per line.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luxyhome.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from rest_framework_simplejwt.tokens import RefreshToken  # noqa: E402

from accounts.models import User  # noqa: E402
from cart.models import Cart, CartItem  # noqa: E402
from catalog import demo_data  # noqa: E402
from catalog.models import Product  # noqa: E402
from orders.models import Order, OrderItem  # noqa: E402
from payments.gateway import minor_units  # noqa: E402
from payments.models import Payment  # noqa: E402

POOL_SIZE = 4_000  # products the carts and the adds use, spread so no row is a hot spot
HIGH_STOCK = 1_000_000
LINES_PER_CART = 3
BATCH_SIZE = 2_000
EMAIL_DOMAIN = "bench.luxyhome.example"
# typos only the trigram half of search finds, and two-word searches
EXTRA_SEARCHES = ["velvt", "marbl", "walnt", "rattn", "travertin", "cashmir", "velvet sofa", "brass lamp"]
# the address bench/lua/order.lua orders to
SHIPPING = {
    "shipping_full_name": "Ada Lovelace",
    "shipping_line1": "12 Velvet Row",
    "shipping_city": "London",
    "shipping_postal_code": "N1 7GU",
    "shipping_country": "GB",
    "shipping_phone": "+44 20 7946 0000",
}


def main(work: Path, shoppers: int, buyers: int, payers: int) -> dict:
    started = time.monotonic()
    rng = random.Random(6)
    pool = product_pool()
    # one fixed unusable hash: nobody signs in with a password, and bcrypt per user would take minutes
    password = make_password(None)
    with transaction.atomic():
        carters = shoppers_with_carts("shopper", shoppers, pool, password, rng)
        orderers = shoppers_with_carts("buyer", buyers, pool, password, rng)
        payments = orders_awaiting_payment(payers, pool, password, rng)
        write_lines(work / "shoppers.tokens", access_tokens(carters))
        write_lines(work / "buyers.tokens", access_tokens(orderers))
        write_lines(work / "payments.intents", (f"{p.intent_id} {minor_units(p.amount, p.currency)}" for p in payments))
    write_lines(work / "products.ids", map(str, pool))
    write_lines(work / "words.txt", search_words())
    return {
        "shoppers": len(carters),
        "buyers": len(orderers),
        "orders_awaiting_payment": len(payments),
        "cart_products": len(pool),
        "seconds": round(time.monotonic() - started, 1),
    }


def product_pool() -> list[int]:
    """Active products (generated ones first), with a stock no run can take."""
    active = Product.objects.active()
    ids = list(active.filter(slug__startswith="lxh-item-").order_by("id").values_list("id", flat=True)[:POOL_SIZE])
    if len(ids) < POOL_SIZE:
        ids += list(active.exclude(pk__in=ids).order_by("id").values_list("id", flat=True)[: POOL_SIZE - len(ids)])
    Product.objects.filter(pk__in=ids).update(stock=HIGH_STOCK)
    return ids


def shoppers_with_carts(kind: str, count: int, pool: list[int], password: str, rng: random.Random) -> list[User]:
    new = (User(email=f"{kind}{n:06d}@{EMAIL_DOMAIN}", name=f"Bench {kind}", password=password) for n in range(count))
    users = User.objects.bulk_create(new, batch_size=BATCH_SIZE)
    carts = Cart.objects.bulk_create((Cart(user=user) for user in users), batch_size=BATCH_SIZE)
    lines = (
        CartItem(cart=cart, product_id=product_id, quantity=rng.randint(1, 2))
        for cart in carts
        for product_id in rng.sample(pool, LINES_PER_CART)
    )
    CartItem.objects.bulk_create(lines, batch_size=BATCH_SIZE)
    return users


def orders_awaiting_payment(count: int, pool: list[int], password: str, rng: random.Random) -> list[Payment]:
    """Payers' pending orders of three lines, as checkout makes them (but taking no stock), each with the
    Payment of a made-up intent its shopper has yet to pay."""
    payers = (User(email=f"payer{n:06d}@{EMAIL_DOMAIN}", name="Bench payer", password=password) for n in range(count))
    users = User.objects.bulk_create(payers, batch_size=BATCH_SIZE)
    products = Product.objects.in_bulk(pool)
    carts = [[(products[pk], rng.randint(1, 2)) for pk in rng.sample(pool, LINES_PER_CART)] for _ in users]
    pending = (
        Order(user=user, total=sum(p.price * q for p, q in cart), currency=settings.CURRENCY, **SHIPPING)
        for user, cart in zip(users, carts, strict=True)
    )
    orders = Order.objects.bulk_create(pending, batch_size=BATCH_SIZE)
    lines = (
        OrderItem(order=order, product=p, product_name=p.name, quantity=q, price=p.price)
        for order, cart in zip(orders, carts, strict=True)
        for p, q in cart
    )
    OrderItem.objects.bulk_create(lines, batch_size=BATCH_SIZE)
    # requires_payment_method: a new intent's status, as payment_start records it
    payments = (
        Payment(
            order=o,
            intent_id=f"pi_bench_{n:06d}",
            status="requires_payment_method",
            amount=o.total,
            currency=o.currency,
        )
        for n, o in enumerate(orders, 1)
    )
    return Payment.objects.bulk_create(payments, batch_size=BATCH_SIZE)


def access_tokens(users: list[User]) -> list[str]:
    return [str(RefreshToken.for_user(user).access_token) for user in users]


def search_words() -> list[str]:
    """Words of the generated names and descriptions, a few typos, two-word searches."""
    words = [*demo_data.GENERATED_MATERIALS, *demo_data.GENERATED_ADJECTIVES, "sofa", "lamp", "rug", "vase", "table"]
    return [word.lower() for word in words] + EXTRA_SEARCHES


def write_lines(path: Path, lines) -> None:
    path.write_text("".join(f"{line}\n" for line in lines))


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), *map(int, sys.argv[2:5]))))
