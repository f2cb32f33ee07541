"""Order e-mails to the shopper, HTML with a plain-text part, kept in the outbox with the order's change."""

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
        context={"order": order, "items": list(order.items.all()), "site_name": "Luxyhome"},
    )
