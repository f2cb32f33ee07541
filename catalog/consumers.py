"""/ws/products/:id: anyone on a product's page hears of its price and stock changing."""

from channels.db import database_sync_to_async

from catalog.models import Product
from catalog.realtime import product_group
from luxyhome.sockets import PushConsumer


class ProductConsumer(PushConsumer):
    forwards = frozenset({"product.updated"})

    async def subscription(self) -> str | None:
        """The product's group, while it is in the shop."""
        product_id = int(self.scope["url_route"]["kwargs"]["product_id"])
        exists = await database_sync_to_async(Product.objects.active().filter(pk=product_id).exists)()
        return product_group(product_id) if exists else None
