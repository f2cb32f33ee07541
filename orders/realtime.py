"""What the orders app pushes: each change of an order's status or payment status, to its shopper's
sockets (/ws/orders)."""

from luxyhome.realtime import push_on_commit, user_group
from orders.models import Order
from orders.serializers import OrderUpdateSerializer


def order_updated_send(*, order: Order) -> None:
    """Tell the shopper's sockets, once the transaction commits, how this change left the order."""
    message = {"type": "order.updated", "order": OrderUpdateSerializer(order).data}
    push_on_commit([(user_group(order.user_id), message)])
