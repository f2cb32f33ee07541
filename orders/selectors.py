from django.db.models import QuerySet

from orders.models import Order


def order_list(*, user) -> QuerySet[Order]:
    """The user's own orders with their items, newest first: anyone else's are not there (404)."""
    return Order.objects.filter(user_id=user.pk).prefetch_related("items")
