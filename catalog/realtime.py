"""What the catalog pushes: a product's price, stock and availability, to its page's sockets
(/ws/products/:id), whenever a service changes one of them."""

from collections.abc import Iterable

from catalog.models import Product
from catalog.serializers import ProductStockSerializer
from luxyhome.realtime import push_on_commit


def product_group(product_id: int) -> str:
    return f"products.{product_id}"


def products_updated_send(*, product_ids: Iterable[int]) -> None:
    """Tell these products' sockets, once the transaction commits, how the products stand then."""
    ids = sorted(set(product_ids))

    def messages():
        # read after the commit: concurrent checkouts each send the stock as it is, not as they left it
        return [
            (product_group(product.pk), {"type": "product.updated", "product": ProductStockSerializer(product).data})
            for product in Product.objects.filter(pk__in=ids).only("pk", "price", "stock", "is_active")
        ]

    push_on_commit(messages)
