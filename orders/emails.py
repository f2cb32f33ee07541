"""Order e-mails to the shopper, HTML with a plain-text part, sent after the order is committed."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from orders.models import Order

logger = logging.getLogger(__name__)

SUBJECTS = {
    "confirmation": "Your Luxyhome order {number} is confirmed",
    "shipped": "Your Luxyhome order {number} is on its way",
    "cancelled": "Your Luxyhome order {number} is cancelled",
}


def order_email_send(*, order: Order, kind: str) -> None:
    """E-mail the shopper about their order. A failure is logged and never raised: the order stands."""
    try:
        context = {"order": order, "items": list(order.items.all()), "site_name": "Luxyhome"}
        message = EmailMultiAlternatives(
            subject=SUBJECTS[kind].format(number=order.number),
            body=render_to_string(f"emails/order_{kind}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[order.user.email],
        )
        message.attach_alternative(render_to_string(f"emails/order_{kind}.html", context), "text/html")
        message.send()
    except Exception:
        logger.exception("Could not send the %s e-mail for order %s", kind, order.number)
