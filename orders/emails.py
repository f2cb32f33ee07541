"""Order e-mails to the shopper, HTML with a plain-text part, kept in the outbox with the order's change.

The worker renders them later, from what the order said when it changed (plain data, as JSON).
"""

from orders.models import Order
from outbox.services import email_queue

SUBJECTS = {
    "confirmation": "Your Luxyhome order {number} is confirmed",
    "paid": "We have received your payment for order {number}",
    "refunded": "Your payment for Luxyhome order {number} has been refunded",
    "shipped": "Your Luxyhome order {number} is on its way",
    "cancelled": "Your Luxyhome order {number} is cancelled",
    "expired": "Your Luxyhome order {number} was cancelled: it was not paid in time",
}


def order_email_queue(*, order: Order, kind: str) -> None:
    """E-mail the shopper about their order once the current transaction commits (templates
    emails/order_<kind>.txt and .html)."""
    email_queue(
        to=order.user.email,
        subject=SUBJECTS[kind].format(number=order.number),
        template=f"emails/order_{kind}",
        context={"order": _order_data(order), "items": _items_data(order), "site_name": "Luxyhome"},
    )


def _order_data(order: Order) -> dict:
    shipping = {f"shipping_{field}": value for field, value in order.shipping_address.items()}
    return {
        "number": order.number,
        "total": order.total,
        "currency": order.currency,
        "user": {"name": order.user.name},
        **shipping,
    }


def _items_data(order: Order) -> list[dict]:
    return [
        {
            "product_name": item.product_name,
            "quantity": item.quantity,
            "price": item.price,
            "line_total": item.line_total,
        }
        for item in order.items.all()
    ]
