"""The staff orders dashboard: orders are read, never edited, and move only through the actions."""

import re
from decimal import Decimal

import pytest
from django.utils import formats, timezone

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from orders.models import Order
from orders.services import order_status_change
from orders.tests.factories import place_order

pytestmark = pytest.mark.django_db

ORDERS = "/admin/orders/order/"


def move(order: Order, *statuses: str) -> Order:
    for status in statuses:
        order = order_status_change(order=order, status=status)
    return order


def shown(response) -> list[str]:
    """The numbers of the orders on the changelist page, in order."""
    return [order.number for order in response.context["cl"].result_list]


def run(browser, action: str, *orders: Order):
    return browser.post(
        ORDERS, {"action": action, "_selected_action": [order.pk for order in orders], "index": "0"}, follow=True
    )


def notes(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def status_of(order: Order) -> str:
    order.refresh_from_db()
    return order.status


# --- changelist -----------------------------------------------------------------------------


def test_order_changelist_shows_number_customer_status_and_total(browser):
    shopper = UserFactory(email="ada@luxyhome.example")
    sofa = ProductFactory(price=Decimal("4200.00"))
    lamp = ProductFactory(price=Decimal("1890.50"))
    order = place_order(shopper, (sofa, 1), (lamp, 2))

    response = browser.get(ORDERS)

    assert response.status_code == 200
    html = response.content.decode()
    assert shown(response) == [order.number]
    for text in (order.number, "ada@luxyhome.example", "Pending", "USD 7,981.00"):
        assert text in html
    assert response.context["cl"].result_list[0].item_count == 2
    assert "By status" in html


def test_order_changelist_filters_by_status(browser):
    pending = place_order()
    paid = move(place_order(), "paid")

    assert shown(browser.get(ORDERS, {"status__exact": "paid"})) == [paid.number]
    assert shown(browser.get(ORDERS, {"status__exact": "pending"})) == [pending.number]


def test_order_changelist_searches_by_number_and_email(browser):
    wanted = place_order(UserFactory(email="ada@luxyhome.example"), full_name="Ada Whitmore")
    place_order(UserFactory(email="grace@luxyhome.example"), full_name="Grace Hopper")

    assert shown(browser.get(ORDERS, {"q": wanted.number})) == [wanted.number]
    assert shown(browser.get(ORDERS, {"q": "ada@luxyhome"})) == [wanted.number]
    assert shown(browser.get(ORDERS, {"q": "whitmore"})) == [wanted.number]


def test_order_changelist_queries_do_not_grow_with_the_page(browser, django_assert_max_num_queries):
    for _ in range(3):
        place_order()
    with django_assert_max_num_queries(8) as few:
        assert browser.get(ORDERS).status_code == 200

    for _ in range(27):
        place_order()
    with django_assert_max_num_queries(len(few)):
        response = browser.get(ORDERS)

    assert len(shown(response)) == 30


# --- change page ----------------------------------------------------------------------------


def test_order_change_page_shows_the_items_and_edits_nothing(browser):
    sofa = ProductFactory(name="Emerald Velvet Sofa", price=Decimal("4200.00"))
    order = place_order(None, (sofa, 2))

    response = browser.get(f"{ORDERS}{order.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Emerald Velvet Sofa", "4200.00", "8400.00", "USD 8,400.00", "12 Mayfair Row", "Flat 3"):
        assert text in html
    assert f"/admin/catalog/product/{sofa.pk}/change/" in html  # the product, as a link
    for editable in ('name="total"', 'name="status"', 'name="price"', 'name="items-0-quantity"', "items-0-DELETE"):
        assert editable not in html
    assert 'name="_save"' not in html


def test_order_change_page_refuses_a_posted_change(browser):
    order = place_order()

    response = browser.post(f"{ORDERS}{order.pk}/change/", {"status": "delivered", "total": "1.00"})

    assert response.status_code == 403
    order.refresh_from_db()
    assert (order.status, order.total) == ("pending", Decimal("450.00"))


def test_order_add_and_delete_are_not_available(browser):
    order = place_order()

    changelist = browser.get(ORDERS)
    change = browser.get(f"{ORDERS}{order.pk}/change/")
    add = browser.get(f"{ORDERS}add/")
    delete = browser.get(f"{ORDERS}{order.pk}/delete/")
    action = browser.post(ORDERS, {"action": "delete_selected", "_selected_action": [order.pk], "post": "yes"})

    assert f"{ORDERS}add/" not in changelist.content.decode()
    assert "delete_selected" not in [name for name, _ in changelist.context["action_form"].fields["action"].choices]
    assert f"{ORDERS}{order.pk}/delete/" not in change.content.decode()
    assert (add.status_code, delete.status_code) == (403, 403)
    assert action.status_code == 302  # not an action here: back to the changelist, nothing done
    assert Order.objects.filter(pk=order.pk).exists()


# --- actions --------------------------------------------------------------------------------


def test_order_actions_move_an_order_from_pending_to_delivered(browser):
    order = place_order()

    for action, status in [("mark_paid", "paid"), ("mark_shipped", "shipped"), ("mark_delivered", "delivered")]:
        response = run(browser, action, order)

        assert response.status_code == 200
        assert notes(response) == [("success", f"1 order marked as {status}.")]
        assert status_of(order) == status
        assert order.payment_status == "paid"


def test_order_changelist_filters_by_payment_status_and_shows_the_expiry(browser):
    unpaid = place_order()
    paid = move(place_order(), "paid")

    assert shown(browser.get(ORDERS, {"payment_status__exact": "paid"})) == [paid.number]
    assert shown(browser.get(ORDERS, {"payment_status__exact": "unpaid"})) == [unpaid.number]
    page = browser.get(f"{ORDERS}{unpaid.pk}/change/").content.decode()
    assert "Expires at" in page
    assert formats.localize(timezone.template_localtime(unpaid.expires_at)) in page


def test_order_changelist_shows_when_an_order_awaiting_payment_expires(browser):
    awaiting = place_order()
    paid = move(place_order(), "paid")

    response = browser.get(ORDERS)

    cells = re.findall(r'<td class="field-expires_at">(.*?)</td>', response.content.decode())
    assert dict(zip(shown(response), cells, strict=True)) == {
        awaiting.number: formats.localize(timezone.template_localtime(awaiting.expires_at)),
        paid.number: "-",
    }


def test_order_mark_shipped_moves_the_paid_orders_and_reports_each_other_one(browser):
    pending = place_order()
    cancelled = move(place_order(), "cancelled")
    first, second = move(place_order(), "paid"), move(place_order(), "paid")

    response = run(browser, "mark_shipped", second, cancelled, first, pending)

    assert notes(response) == [
        ("error", f"{pending.number} was not changed: An order that is pending cannot become shipped."),
        ("error", f"{cancelled.number} was not changed: An order that is cancelled cannot become shipped."),
        ("success", "2 orders marked as shipped."),
    ]
    assert [status_of(order) for order in (pending, cancelled, first, second)] == [
        "pending",
        "cancelled",
        "shipped",
        "shipped",
    ]


def test_order_mark_shipped_action_emails_the_shopper(browser, django_capture_on_commit_callbacks, mailoutbox):
    order = move(place_order(UserFactory(email="ada@luxyhome.example")), "paid")

    with django_capture_on_commit_callbacks(execute=True):
        run(browser, "mark_shipped", order)

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["ada@luxyhome.example"], f"Your Luxyhome order {order.number} is on its way")
    ]


def test_order_cancel_action_gives_the_stock_back(browser):
    sofa = ProductFactory(stock=5)
    lamp = ProductFactory(stock=10)
    first = place_order(None, (sofa, 2), (lamp, 3))
    second = move(place_order(None, (sofa, 1)), "paid")
    sofa.refresh_from_db()
    assert sofa.stock == 2

    response = run(browser, "cancel", first, second)

    assert notes(response) == [
        ("success", "2 orders cancelled; their stock is back and any payments are being refunded.")
    ]
    assert (status_of(first), status_of(second)) == ("cancelled", "cancelled")
    sofa.refresh_from_db()
    lamp.refresh_from_db()
    assert (sofa.stock, lamp.stock) == (5, 10)


def test_order_mark_delivered_reports_a_pending_order_and_still_moves_a_shipped_one(browser):
    pending = place_order()
    shipped = move(place_order(), "paid", "shipped")

    response = run(browser, "mark_delivered", pending, shipped)

    assert notes(response) == [
        ("error", f"{pending.number} was not changed: An order that is pending cannot become delivered."),
        ("success", "1 order marked as delivered."),
    ]
    assert (status_of(pending), status_of(shipped)) == ("pending", "delivered")


def test_order_cancel_action_refuses_a_shipped_order_and_keeps_its_stock_taken(browser):
    sofa = ProductFactory(stock=5)
    shipped = move(place_order(None, (sofa, 2)), "paid", "shipped")
    pending = place_order(None, (sofa, 1))

    response = run(browser, "cancel", shipped, pending)

    assert notes(response) == [
        ("error", f"{shipped.number} was not changed: An order that is shipped cannot become cancelled."),
        ("success", "1 order cancelled; its stock is back and any payment is being refunded."),
    ]
    assert (status_of(shipped), status_of(pending)) == ("shipped", "cancelled")
    sofa.refresh_from_db()
    assert sofa.stock == 3  # only the pending order's sofa came back
