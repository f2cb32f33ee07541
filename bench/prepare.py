"""Bench data, made inside Django with the bench's environment: shoppers with access tokens and carts.

python bench/prepare.py <work dir> <shoppers> <buyers>

- shoppers: three cart lines each, for the cart read and cart add scenarios;
- buyers: a ready 3-line cart each, one per order the order scenario may place;
- the products those carts and the adds use get a stock no run can exhaust.

Writes shoppers.tokens, buyers.tokens, products.ids and words.txt into the work dir, one per line.
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

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from rest_framework_simplejwt.tokens import RefreshToken  # noqa: E402

from accounts.models import User  # noqa: E402
from cart.models import Cart, CartItem  # noqa: E402
from catalog import demo_data  # noqa: E402
from catalog.models import Product  # noqa: E402

POOL_SIZE = 4_000  # products the carts and the adds use, spread so no row is a hot spot
HIGH_STOCK = 1_000_000
LINES_PER_CART = 3
BATCH_SIZE = 2_000
EMAIL_DOMAIN = "bench.luxyhome.example"
# typos only the trigram half of search finds, and two-word searches
EXTRA_SEARCHES = ["velvt", "marbl", "walnt", "rattn", "travertin", "cashmir", "velvet sofa", "brass lamp"]


def main(work: Path, shoppers: int, buyers: int) -> dict:
    started = time.monotonic()
    rng = random.Random(6)
    pool = product_pool()
    # one fixed unusable hash: nobody signs in with a password, and bcrypt per user would take minutes
    password = make_password(None)
    with transaction.atomic():
        carters = shoppers_with_carts("shopper", shoppers, pool, password, rng)
        orderers = shoppers_with_carts("buyer", buyers, pool, password, rng)
        write_lines(work / "shoppers.tokens", access_tokens(carters))
        write_lines(work / "buyers.tokens", access_tokens(orderers))
    write_lines(work / "products.ids", map(str, pool))
    write_lines(work / "words.txt", search_words())
    return {
        "shoppers": len(carters),
        "buyers": len(orderers),
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


def access_tokens(users: list[User]) -> list[str]:
    return [str(RefreshToken.for_user(user).access_token) for user in users]


def search_words() -> list[str]:
    """Words of the generated names and descriptions, a few typos, two-word searches."""
    words = [*demo_data.GENERATED_MATERIALS, *demo_data.GENERATED_ADJECTIVES, "sofa", "lamp", "rug", "vase", "table"]
    return [word.lower() for word in words] + EXTRA_SEARCHES


def write_lines(path: Path, lines) -> None:
    path.write_text("".join(f"{line}\n" for line in lines))


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))))
