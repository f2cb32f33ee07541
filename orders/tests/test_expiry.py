"""Orders awaiting payment: they expire and give their stock back, and a shopper holds only a few."""

import threading
import time
from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from cart.models import CartItem
from cart.tests.factories import fill_cart
from catalog.models import MAX_STOCK
from catalog.tests.factories import ProductFactory
from luxyhome.tests.threads import at_once
from orders import tasks
from orders.models import Order
from orders.services import order_status_change, orders_expire
from orders.tests.factories import place_order

pytestmark = pytest.mark.django_db

TTL = timedelta(minutes=30)  # PENDING_ORDER_TTL_SECONDS' default


def age(order: Order, by: timedelta) -> Order:
    """The order as if it had been placed `by` ago."""
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - by)
    order.refresh_from_db()
    return order


def state_of(order: Order) -> str:
    order.refresh_from_db()
    return order.status


def stock(product) -> int:
    product.refresh_from_db()
    return product.stock


def test_an_order_awaiting_payment_past_its_time_is_cancelled_and_its_stock_given_back_once(
    sofa, committed, mailoutbox
):
    order = age(place_order(None, (sofa, 2)), TTL + timedelta(seconds=1))
    assert stock(sofa) == 1
    mailoutbox.clear()

    with committed():
        assert tasks.orders_expire.delay() is not None  # as beat sends it (in-process here)
    with committed():
        assert orders_expire() == 0  # the next sweep finds nothing more

    order.refresh_from_db()
    assert (order.status, order.payment_status, order.expires_at) == ("cancelled", "unpaid", None)
    assert stock(sofa) == 3
    [message] = mailoutbox
    assert message.subject == f"Your Luxyhome order {order.number} was cancelled: it was not paid in time"
    assert "No payment was taken" in message.body


def test_the_expiry_leaves_orders_within_their_time_and_paid_ones_alone(sofa, lamp, committed):
    young = age(place_order(None, (sofa, 1)), TTL - timedelta(seconds=30))
    paid = place_order(None, (lamp, 1))
    order_status_change(order=paid, status="paid")
    age(paid, TTL * 10)

    with committed():
        assert orders_expire() == 0

    assert list(Order.objects.order_by("pk").values_list("status", "payment_status")) == [
        ("pending", "unpaid"),
        ("paid", "paid"),
    ]
    assert young.expires_at == young.created_at + TTL
    assert (stock(sofa), stock(lamp)) == (2, 9)


def test_the_ttl_comes_from_settings(settings, sofa, committed):
    settings.PENDING_ORDER_TTL_SECONDS = 60
    order = age(place_order(None, (sofa, 1)), timedelta(seconds=61))

    assert order.expires_at == order.created_at + timedelta(seconds=60)
    with committed():
        assert orders_expire() == 1


def test_the_order_shows_its_expiry_while_it_awaits_payment_only(shopper, shopper_client, sofa):
    order = place_order(shopper, (sofa, 1))
    url = f"/api/orders/{order.pk}"

    body = shopper_client.get(url).json()
    assert body["payment_status"] == "unpaid"
    assert datetime.fromisoformat(body["expires_at"]) == order.created_at + TTL

    order_status_change(order=order, status="paid")  # staff marked it paid: a payment taken outside the shop
    body = shopper_client.get(url).json()
    assert (body["status"], body["payment_status"], body["expires_at"]) == ("paid", "paid", None)


def test_a_shoppers_fourth_unpaid_order_is_refused_and_changes_nothing(
    shopper, shopper_client, sofa, lamp, shipping_address
):
    orders = [place_order(shopper, (lamp, 1)) for _ in range(3)]
    fill_cart(shopper, (sofa, 1))

    response = shopper_client.post("/api/orders", {"shipping_address": shipping_address})

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "too_many_pending_orders"
    assert Order.objects.count() == 3
    assert stock(sofa) == 3
    assert CartItem.objects.filter(cart__user=shopper, product=sofa, quantity=1).exists()

    order_status_change(order=orders[0], status="paid")  # one paid: room for another
    assert shopper_client.post("/api/orders", {"shipping_address": shipping_address}).status_code == 201


def test_other_shoppers_orders_do_not_count_against_the_limit(shopper, shopper_client, sofa, lamp, shipping_address):
    for _ in range(3):
        place_order(None, (lamp, 1))
    fill_cart(shopper, (sofa, 1))

    assert shopper_client.post("/api/orders", {"shipping_address": shipping_address}).status_code == 201


def test_the_expiry_through_the_beat_task_on_a_real_worker(celery_worker, sofa, mailoutbox, wait_until):
    order = age(place_order(None, (sofa, 3)), TTL * 2)
    assert stock(sofa) == 0

    tasks.orders_expire.delay()

    wait_until(lambda: Order.objects.filter(pk=order.pk, status="cancelled").exists())
    wait_until(lambda: len(mailoutbox) == 2)  # the confirmation, then the expiry
    assert stock(sofa) == 3
    assert mailoutbox[1].subject.endswith("was cancelled: it was not paid in time")


@pytest.mark.django_db(transaction=True)
def test_an_order_paid_while_the_sweep_runs_is_not_cancelled(postgresql):
    sofa, lamp = ProductFactory(stock=5), ProductFactory(stock=5)
    being_paid = age(place_order(None, (sofa, 2)), TTL * 2)
    forgotten = age(place_order(None, (lamp, 2)), TTL * 2)
    locked = threading.Event()

    def pay():  # holds the order's row lock while the sweep starts
        with transaction.atomic():
            order_status_change(order=being_paid, status="paid")
            locked.set()
            time.sleep(0.5)

    def sweep():
        locked.wait(timeout=10)
        return orders_expire()

    assert at_once([pay, sweep]) == [None, 1]
    being_paid.refresh_from_db()
    forgotten.refresh_from_db()
    assert (being_paid.status, being_paid.payment_status) == ("paid", "paid")
    assert forgotten.status == "cancelled"
    assert (stock(sofa), stock(lamp)) == (3, 5)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_give_the_stock_back_once(postgresql):
    sofa = ProductFactory(stock=10)
    orders = [age(place_order(None, (sofa, 1)), TTL * 2) for _ in range(6)]

    assert sum(at_once([orders_expire, orders_expire])) == 6
    assert stock(sofa) == 10
    assert not Order.objects.filter(pk__in=[order.pk for order in orders]).exclude(status="cancelled").exists()


def test_stock_given_back_to_a_product_staff_restocked_to_the_most_it_may_hold(sofa, committed):
    order = age(place_order(None, (sofa, 3)), TTL * 2)
    sofa.stock = MAX_STOCK  # staff restocked it meanwhile, to the top
    sofa.save()

    with committed():
        assert orders_expire() == 1

    assert stock(sofa) == MAX_STOCK + 3
    assert state_of(order) == "cancelled"
