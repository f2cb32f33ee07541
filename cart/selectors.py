"""The cart answer: current prices and availability, cached per user until the cart or the catalog changes."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from cart.models import CartItem
from luxyhome.cache import Lookup, store

# what a line shows of its product (cart.serializers.CartProductSerializer) and its availability needs
CART_PRODUCT_FIELDS = ("name", "slug", "price", "image", "stock", "is_active")


@dataclass
class CartContents:
    items: list[CartItem]
    total_quantity: int
    subtotal: Decimal
    currency: str

    @classmethod
    def of(cls, items: list[CartItem]) -> "CartContents":
        """The cart of these lines (from `cart_lines`), each at its product's price."""
        return cls(
            items=items,
            total_quantity=sum(item.quantity for item in items),
            subtotal=sum((item.product.price * item.quantity for item in items), Decimal("0.00")),
            currency=settings.CURRENCY,
        )


def cart_get(*, user) -> CartContents:
    """The user's cart with each line at today's price; an empty one when they have none yet."""
    return CartContents.of(cart_lines(cart__user=user))


def cart_lines(**filters) -> list[CartItem]:
    """The cart lines `filters` pick, in the cart's order, with what the answer shows of their products."""
    return list(
        CartItem.objects.filter(**filters)
        .select_related("product")
        .only("quantity", *(f"product__{field}" for field in CART_PRODUCT_FIELDS))
    )


def cart_answer_key(user) -> tuple[str, tuple[str, ...]]:
    """Where the user's cart answer is cached, and the versions it is stored under: the cart's and the catalog's."""
    key = f"cart:{user.pk}"
    return key, (key, "catalog")


def cached_cart_answer(*, user, render, found: Lookup | None) -> bytes:
    """`render(cart_get(user=user))`, the rendered answer: from the cache when `found`, the view's lookup
    of `cart_answer_key`, holds it, else built and kept for the next read. A write's answer (`found`
    None) is built and not kept: the write replaced the cart's version, so looking the answer up
    could only miss, and keeping it would cost the write two cache round trips (the new versions,
    then the answer) for a read that need not follow, since the write answers with the whole cart."""
    if found is not None and found.value is not None:
        return found.value
    answer = render(cart_get(user=user))
    if found is not None:
        store(found, answer)
    return answer
