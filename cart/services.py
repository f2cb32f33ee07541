"""Cart writes. Each retires the user's cached cart answer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists
from django.http import Http404
from django.utils import timezone

from cart.exceptions import CartFull
from cart.models import MAX_LINES, MAX_QUANTITY, Cart, CartItem, CartSpan
from cart.selectors import CART_PRODUCT_FIELDS, CartContents, cart_lines
from catalog.exceptions import InsufficientStock, Shortage
from catalog.models import Product
from luxyhome.cache import version_bump


def cart_changed(*, user) -> None:
    version_bump(f"cart:{user.pk}")


@transaction.atomic
def cart_add(*, user, product_id: int, quantity: int = 1) -> CartContents:
    """Put `quantity` of a product in the cart, adding to its line when it is there already; the
    cart after the add.

    Raises ValidationError (unknown or archived product, more than 99 in a line), CartFull (a 51st
    product) and InsufficientStock (more than is on hand).
    """
    cart = _locked_cart(user)
    # read under the lock, the lines are the answer too: no query for it after the write
    items = cart_lines(cart=cart)
    line = next((item for item in items if item.product_id == product_id), None)
    product = line.product if line else Product.objects.filter(pk=product_id).only(*CART_PRODUCT_FIELDS).first()
    if product is None or not product.is_active:
        raise ValidationError({"product_id": ["There is no such product for sale."]})
    total = quantity + (line.quantity if line else 0)
    if total > MAX_QUANTITY:
        raise ValidationError({"quantity": [f"A cart holds at most {MAX_QUANTITY} of one product."]})
    if line is None and len(items) >= MAX_LINES:  # counted under the cart's lock: racing adds cannot pass it
        raise CartFull(MAX_LINES)
    _check_stock(product, total)
    if not items:
        _span_start(cart)
    if line is None:
        items.append(CartItem.objects.create(cart=cart, product=product, quantity=total))
    else:
        line.quantity = total
        line.save(update_fields=["quantity"])
    cart_changed(user=user)
    return CartContents.of(items)


@transaction.atomic
def cart_item_update(*, user, item_id: int, quantity: int) -> None:
    """Set a line's quantity. Raises Http404 (not this user's line) and InsufficientStock."""
    item = _item_of(user, item_id)
    _check_stock(item.product, quantity)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    cart_changed(user=user)


@transaction.atomic
def cart_item_remove(*, user, item_id: int) -> None:
    """Take a line out of the cart. Raises Http404 (not this user's line)."""
    item = _item_of(user, item_id)
    item.delete()
    _span_end(item.cart_id, if_empty=True)
    cart_changed(user=user)


def cart_empty(*, cart: Cart) -> None:
    """Take every line out of a cart whose row the caller has locked (checkout does)."""
    cart.items.all().delete()
    _span_end(cart.pk)


def cart_deleted(sender, instance, **kwargs) -> None:
    """A cart is being deleted (pre_delete: its owner's account goes): its span ends now, or the staff
    figures would count it as holding lines for good."""
    _span_end(instance.pk)


def _span_start(cart: Cart) -> None:
    """The empty cart gets a line: a new span. One still open was left by lines deleted some other way
    (a bulk delete): it ended by now at the latest."""
    _span_end(cart.pk)
    CartSpan.objects.create(cart=cart)


def _span_end(cart_id: int, *, if_empty: bool = False) -> None:
    """The cart holds no line any more: its span ends now. `if_empty`: only if it holds none (one query)."""
    span = CartSpan.objects.filter(cart_id=cart_id, ended_at=None)
    if if_empty:
        span = span.exclude(Exists(CartItem.objects.filter(cart_id=cart_id)))
    span.update(ended_at=timezone.now())


def _locked_cart(user) -> Cart:
    """The user's cart (made on their first add), its row locked until the transaction ends: one
    shopper's cart writes (double clicks, two tabs) and a checkout of the cart (order_place locks it
    too) go one at a time."""
    cart, _ = Cart.objects.select_for_update().get_or_create(user=user)
    return cart


def _item_of(user, item_id: int) -> CartItem:
    item = CartItem.objects.select_related("product").filter(pk=item_id, cart=_locked_cart(user)).first()
    if item is None:  # someone else's line is as unknown as a missing one
        raise Http404
    return item


def _check_stock(product: Product, quantity: int) -> None:
    if quantity > product.available:
        raise InsufficientStock([Shortage(product.pk, product.name, quantity, product.available)])
