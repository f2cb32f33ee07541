"""The cart answer: current prices and availability, cached per user until the cart or the catalog changes."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from cart.models import CartItem
from luxyhome.cache import versions


@dataclass
class CartView:
    items: list[CartItem]
    total_quantity: int
    subtotal: Decimal
    currency: str


def cart_view(*, user) -> CartView:
    """The user's cart with each line at today's price; an empty one when they have none yet."""
    items = list(CartItem.objects.filter(cart__user=user).select_related("product"))
    return CartView(
        items=items,
        total_quantity=sum(item.quantity for item in items),
        subtotal=sum((item.product.price * item.quantity for item in items), Decimal("0.00")),
        currency=settings.CURRENCY,
    )


def cached_cart_answer(*, user, render) -> dict:
    """`render(cart_view(user))`, from the cache when neither the cart nor the catalog changed since."""
    found = versions(f"cart:{user.pk}", "catalog")
    key = found and f"cart:{user.pk}:{found[0]}:{found[1]}"
    answer = cache.get(key) if key else None
    if answer is None:
        answer = render(cart_view(user=user))
        if key:
            cache.set(key, answer, timeout=settings.CACHE_TTL)
    return answer
