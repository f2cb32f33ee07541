"""What the catalog pushes: a product's price, stock and availability, to its page's sockets
(/ws/products/:id), whenever a service changes one of them."""

from collections.abc import Iterable

from catalog.models import Product
from catalog.serializers import ProductStockSerializer
from luxyhome.realtime import push_on_commit

# the fields behind what a product's socket shows (ProductStockSerializer): a change to another is not pushed
PUSHED_FIELDS = {"price", "stock", "is_active"}


def product_group(product_id: int) -> str:
    return f"products.{product_id}"


def products_updated_send(*, products: Iterable[Product]) -> None:
    """Tell these products' sockets, once the transaction commits, how this change left them."""
    rendered = ProductStockSerializer(products, many=True).data
    push_on_commit([(product_group(shown["id"]), {"type": "product.updated", "product": shown}) for shown in rendered])
