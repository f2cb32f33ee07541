"""The shopper's order e-mails: sent once the order is committed, never at the order's expense."""

import re

import pytest

from accounts.tests.factories import UserFactory
from cart.models import CartItem
from cart.tests.factories import fill_cart
from catalog.exceptions import InsufficientStock
from catalog.tests.factories import ProductFactory
from orders.exceptions import CartEmpty
from orders.models import Order
from orders.services import order_cancel, order_place, order_status_change
from outbox.models import Email

pytestmark = pytest.mark.django_db

ADDRESS_LINES = ["12 Mayfair Row", "Flat 3", "W1K 2AB London", "GB"]  # as the e-mails write it


@pytest.fixture
def shopper(db):
    return UserFactory(name="Ada Whitmore", email="ada@luxyhome.example")


@pytest.fixture
def placed(shopper, sofa, lamp, shipping_address, committed, mailoutbox) -> Order:
    """A pending order whose confirmation has gone out; the outbox starts empty again."""
    fill_cart(shopper, (sofa, 1), (lamp, 2))
    with committed():
        order = order_place(user=shopper, shipping_address=shipping_address)
    mailoutbox.clear()
    return order


def parts(message) -> tuple[str, str]:
    """The plain-text and the HTML part."""
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


def test_order_place_sends_one_confirmation_to_the_shopper(
    shopper, sofa, lamp, shipping_address, committed, mailoutbox
):
    fill_cart(shopper, (sofa, 1), (lamp, 2))

    with committed():
        order = order_place(user=shopper, shipping_address=shipping_address)

    [message] = mailoutbox
    assert message.to == ["ada@luxyhome.example"]
    assert message.subject == f"Your Luxyhome order {order.number} is confirmed"
    text, html = parts(message)
    for part in (text, html):
        for expected in ["Dear Ada Whitmore,", order.number, "USD 7,981.00", *ADDRESS_LINES]:
            assert expected in part
    assert "Emerald Velvet Sofa\n    1 x 4,200.00 = 4,200.00" in text
    assert "Brass Arc Floor Lamp\n    2 x 1,890.50 = 3,781.00" in text
    for name, quantity, price, line_total in [
        ("Emerald Velvet Sofa", 1, "4,200.00", "4,200.00"),
        ("Brass Arc Floor Lamp", 2, "1,890.50", "3,781.00"),
    ]:
        cells = rf">{name}</td>\s*<td[^>]*>{quantity}</td>\s*<td[^>]*>{price}</td>\s*<td[^>]*>{line_total}</td>"
        assert re.search(cells, html)
    assert text.rstrip().endswith("Luxyhome")


def test_order_place_email_escapes_html_only_in_the_html_part(shipping_address, committed, mailoutbox):
    shopper = UserFactory(name="Ada O'Brien")
    fill_cart(shopper, (ProductFactory(name="Oak & Brass <Tray>"), 1))

    with committed():
        order_place(user=shopper, shipping_address=shipping_address)

    text, html = parts(mailoutbox[0])
    assert "Dear Ada O'Brien," in text
    assert "Oak & Brass <Tray>" in text
    assert "Dear Ada O&#x27;Brien," in html
    assert "Oak &amp; Brass &lt;Tray&gt;" in html
    assert "<Tray>" not in html


def test_order_place_sends_nothing_when_the_cart_is_empty(shopper, shipping_address, committed, mailoutbox):
    with committed(), pytest.raises(CartEmpty):
        order_place(user=shopper, shipping_address=shipping_address)

    assert mailoutbox == []


def test_order_place_sends_nothing_when_stock_is_short(shopper, sofa, shipping_address, committed, mailoutbox):
    fill_cart(shopper, (sofa, 4))

    with committed(), pytest.raises(InsufficientStock):
        order_place(user=shopper, shipping_address=shipping_address)

    assert mailoutbox == []
    assert not Order.objects.exists()


def test_order_status_change_to_shipped_sends_one_on_its_way_email(placed, committed, mailoutbox):
    order_status_change(order=placed, status="paid")
    with committed():
        order_status_change(order=placed, status="shipped")

    [message] = mailoutbox
    assert message.to == ["ada@luxyhome.example"]
    assert message.subject == f"Your Luxyhome order {placed.number} is on its way"
    for part in parts(message):
        for expected in [placed.number, "on its way", *ADDRESS_LINES]:
            assert expected in part


@pytest.mark.parametrize(
    "cancel",
    [order_cancel, lambda order: order_status_change(order=order, status="cancelled")],
    ids=["by_the_shopper", "by_staff"],
)
def test_order_cancel_sends_one_cancelled_email(placed, committed, mailoutbox, cancel):
    with committed():
        cancel(order=placed)

    [message] = mailoutbox
    assert message.subject == f"Your Luxyhome order {placed.number} is cancelled"
    for part in parts(message):
        assert placed.number in part
        assert "cancelled" in part
        assert "refunded" in part


def test_order_status_change_to_paid_sends_one_payment_received_email(placed, committed, mailoutbox):
    with committed():
        order_status_change(order=placed, status="paid")

    [message] = mailoutbox
    assert message.subject == f"We have received your payment for order {placed.number}"
    for part in parts(message):
        for expected in [placed.number, "USD 7,981.00", *ADDRESS_LINES]:
            assert expected in part


def test_order_status_change_to_delivered_sends_nothing(placed, committed, mailoutbox):
    order_status_change(order=placed, status="paid")
    with committed():
        order_status_change(order=placed, status="shipped")
    mailoutbox.clear()

    with committed():
        order_status_change(order=placed, status="delivered")
    assert mailoutbox == []


def test_order_place_keeps_the_order_and_its_email_when_the_mail_server_fails(
    shopper, sofa, lamp, shipping_address, committed, mailoutbox, settings
):
    settings.EMAIL_BACKEND = "outbox.tests.backends.FailingBackend"
    fill_cart(shopper, (sofa, 1), (lamp, 2))

    with committed():
        order = order_place(user=shopper, shipping_address=shipping_address)

    assert Order.objects.filter(pk=order.pk, status="pending").exists()
    sofa.refresh_from_db()
    lamp.refresh_from_db()
    assert (sofa.stock, lamp.stock) == (2, 8)
    assert not CartItem.objects.filter(cart__user=shopper).exists()
    assert mailoutbox == []
    # still owed: the outbox sweep sends it once the mail server is back (outbox/tests)
    [email] = Email.objects.all()
    assert (email.to, email.sent_at) == ("ada@luxyhome.example", None)
    assert email.subject == f"Your Luxyhome order {order.number} is confirmed"
    assert email.last_error == "SMTPException: Connection refused"
