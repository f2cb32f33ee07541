from accounts.tests.factories import UserFactory
from cart.tests.factories import fill_cart
from catalog.tests.factories import ProductFactory
from orders.models import Order
from orders.services import order_place

# as order_place takes it: all seven fields, the country already a code
SHIPPING_ADDRESS = {
    "full_name": "Ada Whitmore",
    "line1": "12 Mayfair Row",
    "line2": "Flat 3",
    "city": "London",
    "postal_code": "W1K 2AB",
    "country": "GB",
    "phone": "+44 20 7946 0000",
}


def place_order(user=None, *lines, **address) -> Order:
    """An order placed through checkout, of `lines` (product, quantity) or one walnut side table."""
    user = user or UserFactory()
    fill_cart(user, *(lines or [(ProductFactory(), 1)]))
    return order_place(user=user, shipping_address={**SHIPPING_ADDRESS, **address})
