"""Paying orders through Stripe (localstripe): intents, webhook events applied once, refunds."""

import time
from datetime import timedelta

import pytest
import stripe
from django.test import Client
from django.utils import timezone

from luxyhome.metrics import PAYMENTS
from luxyhome.tests.servers import free_port
from luxyhome.tests.threads import at_once
from orders.models import Order
from orders.services import order_status_change, orders_expire
from orders.tests.factories import place_order
from payments.models import Payment, Refund, StripeEvent
from payments.services import refund_send
from payments.tests.conftest import intent_event, signed
from payments.webhooks import stripe_events_redeliver

WEBHOOK = "/api/payments/stripe/webhook"


def pay_url(order: Order) -> str:
    return f"/api/orders/{order.pk}/payment"


def confirm(stripe_client, intent_id: str, card: str = "pm_card_visa"):
    """What Stripe.js does in the shopper's browser: the card, then the confirmation."""
    stripe_client.v1.payment_intents.update(intent_id, params={"payment_method": card})
    return stripe_client.v1.payment_intents.confirm(intent_id)


def state(order: Order) -> tuple[str, str]:
    order.refresh_from_db()
    return order.status, order.payment_status


def succeeded(intent_id: str, amount: int, event_id: str = "evt_succeeded") -> dict:
    intent = {"id": intent_id, "object": "payment_intent", "amount": amount, "currency": "usd", "status": "succeeded"}
    return intent_event(event_id, "succeeded", intent)


def counted(outcome: str) -> float:
    return PAYMENTS.labels(outcome=outcome)._value.get()


# --- Starting a payment ------------------------------------------------------------------------


@pytest.mark.django_db
def test_payment_starts_an_intent_for_the_orders_total_and_answers_it_again_while_live(
    stripe_shop, shopper, shopper_client, sofa, lamp
):
    order = place_order(shopper, (sofa, 1), (lamp, 2))

    created = shopper_client.post(pay_url(order))
    again = shopper_client.post(pay_url(order))

    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"id", "status", "amount", "currency", "client_secret", "publishable_key"}
    assert body["id"].startswith("pi_")
    assert (body["status"], body["amount"], body["currency"]) == ("requires_payment_method", "7981.00", "USD")
    assert body["client_secret"].startswith(body["id"])
    assert body["publishable_key"] == "pk_test_luxyhome"
    assert "no-store" in created["Cache-Control"]
    intent = stripe_shop.v1.payment_intents.retrieve(body["id"])
    assert (intent.amount, intent.currency) == (798100, "usd")
    assert intent.metadata.to_dict() == {"order_id": str(order.pk), "order_number": order.number}
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_only_an_order_awaiting_payment_can_be_paid(stripe_shop, shopper, shopper_client, client_for, sofa):
    paid = order_status_change(order=place_order(shopper, (sofa, 1)), status="paid")
    cancelled = order_status_change(order=place_order(shopper, (sofa, 1)), status="cancelled")
    expired = place_order(shopper, (sofa, 1))
    Order.objects.filter(pk=expired.pk).update(created_at=timezone.now() - timedelta(hours=1))
    strangers = place_order(None, (sofa, 1))

    for order in (paid, cancelled, expired):
        response = shopper_client.post(pay_url(order))
        assert (response.status_code, response.json()["code"]) == (409, "order_not_payable")
    assert shopper_client.post(pay_url(strangers)).status_code == 404
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_payments_without_a_stripe_key_answer_503(settings, shopper, shopper_client, sofa):
    settings.STRIPE_SECRET_KEY = ""
    response = shopper_client.post(pay_url(place_order(shopper, (sofa, 1))))

    assert (response.status_code, response.json()["code"]) == (503, "payments_unavailable")


@pytest.mark.django_db
def test_stripe_unreachable_answers_503_with_retry_after_and_creates_nothing(
    stripe_shop, settings, shopper, shopper_client, sofa
):
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nothing listens
    order = place_order(shopper, (sofa, 1))

    response = shopper_client.post(pay_url(order))

    assert (response.status_code, response.json()["code"]) == (503, "payment_provider_unavailable")
    assert int(response["Retry-After"]) > 0
    assert not Payment.objects.exists()
    assert state(order) == ("pending", "unpaid")


# --- Paying, through localstripe's own webhooks -------------------------------------------------


def wait_for_state(order: Order, expected: tuple[str, str], wait_until):
    wait_until(lambda: state(order) == expected, seconds=15)


@pytest.mark.django_db(transaction=True)
def test_an_order_paid_with_a_card_is_paid_once_the_signed_webhook_arrives(
    stripe_webhooks, stripe_shop, shopper, shopper_client, sofa, mailoutbox, wait_until
):
    order = place_order(shopper, (sofa, 1))
    mailoutbox.clear()
    intent_id = shopper_client.post(pay_url(order)).json()["id"]

    assert confirm(stripe_shop, intent_id).status == "succeeded"

    wait_for_state(order, ("paid", "paid"), wait_until)
    assert Payment.objects.get().status == "succeeded"
    [event] = StripeEvent.objects.filter(payload__data__object__id=intent_id)
    assert event.type == "payment_intent.succeeded"
    wait_until(lambda: mailoutbox, seconds=5)  # the e-mail leaves after the webhook's commit, in its thread
    [message] = mailoutbox
    assert message.subject == f"We have received your payment for order {order.number}"
    assert shopper_client.post(pay_url(order)).json()["code"] == "order_not_payable"


@pytest.mark.django_db(transaction=True)
def test_a_declined_card_leaves_the_order_unpaid_and_payable_again(
    stripe_webhooks, stripe_shop, shopper, shopper_client, sofa, wait_until
):
    order = place_order(shopper, (sofa, 1))
    intent_id = shopper_client.post(pay_url(order)).json()["id"]

    with pytest.raises(stripe.CardError):
        confirm(stripe_shop, intent_id, card="pm_card_chargeCustomerFail")

    failed = StripeEvent.objects.filter(payload__data__object__id=intent_id, processed_at__isnull=False)
    wait_until(failed.exists, seconds=15)
    assert state(order) == ("pending", "unpaid")
    again = shopper_client.post(pay_url(order))
    assert (again.status_code, again.json()["id"], again.json()["status"]) == (
        200,
        intent_id,
        "requires_payment_method",
    )
    # localstripe cannot confirm a declined intent again, as Stripe can: an intent that can no longer be
    # confirmed gives way to a new one
    stripe_shop.v1.payment_intents.cancel(intent_id)
    new = shopper_client.post(pay_url(order))
    assert (new.status_code, new.json()["status"]) == (201, "requires_payment_method")
    assert new.json()["id"] != intent_id
    confirm(stripe_shop, new.json()["id"])
    wait_for_state(order, ("paid", "paid"), wait_until)
    assert list(Payment.objects.order_by("pk").values_list("status", flat=True)) == ["canceled", "succeeded"]


@pytest.mark.django_db(transaction=True)
def test_paying_through_a_real_worker(
    celery_worker, stripe_webhooks, stripe_shop, shopper, shopper_client, sofa, wait_until
):
    order = place_order(shopper, (sofa, 1))
    confirm(stripe_shop, shopper_client.post(pay_url(order)).json()["id"])

    wait_for_state(order, ("paid", "paid"), wait_until)


# --- Webhook events: verified, stored once, applied once -----------------------------------------


@pytest.fixture
def started(stripe_shop, shopper, shopper_client, sofa) -> tuple[Order, str]:
    """An order awaiting payment and its intent, paid at Stripe; its event not yet received."""
    order = place_order(shopper, (sofa, 1))
    intent_id = shopper_client.post(pay_url(order)).json()["id"]
    confirm(stripe_shop, intent_id)
    return order, intent_id


@pytest.mark.django_db
def test_the_webhook_refuses_a_bad_signature_a_tampered_body_and_an_old_timestamp(started, client):
    order, intent_id = started
    event = succeeded(intent_id, 420000)
    body, signature = signed(event)
    old_body, old_signature = signed(event, at=time.time() - 301)
    attempts = [
        (body, None),
        (body, "t=1,v1=deadbeef"),
        (body, signed(event, secret="whsec_someone_else")[1]),
        (body.replace(b"420000", b"1"), signature),  # tampered
        (old_body, old_signature),  # replayed after 301 s
        (b"not json", signed({})[1]),
    ]

    for payload, header in attempts:
        extra = {"HTTP_STRIPE_SIGNATURE": header} if header else {}
        response = client.post(WEBHOOK, payload, content_type="application/json", **extra)
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_signature"
    assert not StripeEvent.objects.exists()
    assert state(order) == ("pending", "unpaid")


@pytest.mark.django_db
def test_the_webhook_without_a_secret_answers_503(settings, post_event):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = post_event({"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {}}})

    assert (response.status_code, response.json()["code"]) == (503, "webhooks_unavailable")


@pytest.mark.django_db(transaction=True)
def test_one_event_posted_ten_times_at_once_is_applied_once(postgresql, started, mailoutbox):
    order, intent_id = started
    mailoutbox.clear()
    body, signature = signed(succeeded(intent_id, 420000))

    def post():
        response = Client().post(WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
        return response.status_code

    assert at_once([post] * 10) == [200] * 10
    assert StripeEvent.objects.count() == 1
    assert state(order) == ("paid", "paid")
    assert [message.subject for message in mailoutbox] == [f"We have received your payment for order {order.number}"]


@pytest.mark.django_db
def test_events_out_of_order_change_nothing_back(started, post_event):
    order, intent_id = started
    failed = {"id": intent_id, "object": "payment_intent", "amount": 420000, "currency": "usd"}

    assert post_event(succeeded(intent_id, 420000)).status_code == 200
    late_failure = intent_event("evt_late", "payment_failed", {**failed, "status": "requires_payment_method"})
    assert post_event(late_failure).status_code == 200
    assert post_event(succeeded(intent_id, 420000, event_id="evt_succeeded_again")).status_code == 200

    assert state(order) == ("paid", "paid")
    assert Payment.objects.get().status == "succeeded"
    assert StripeEvent.objects.filter(processed_at__isnull=False).count() == 3


@pytest.mark.django_db
def test_events_that_are_not_ours_or_not_acted_on_are_accepted_and_ignored(started, post_event):
    order, _ = started

    assert post_event(succeeded("pi_someone_elses", 420000)).status_code == 200
    assert post_event({"id": "evt_customer", "type": "customer.created", "data": {"object": {}}}).status_code == 200

    assert state(order) == ("pending", "unpaid")
    assert StripeEvent.objects.filter(processed_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_a_payment_of_another_amount_does_not_pay_the_order(started, post_event):
    order, intent_id = started
    mismatches = counted("amount_mismatch")

    post_event(succeeded(intent_id, 100))

    assert state(order) == ("pending", "unpaid")
    assert counted("amount_mismatch") == mismatches + 1


@pytest.mark.django_db
def test_an_event_whose_task_was_lost_is_applied_by_the_sweep(started, committed):
    order, intent_id = started
    StripeEvent.objects.create(  # stored, but the task sent after commit never arrived
        id="evt_lost", type="payment_intent.succeeded", payload=succeeded(intent_id, 420000, event_id="evt_lost")
    )
    StripeEvent.objects.filter(pk="evt_lost").update(received_at=timezone.now() - timedelta(minutes=6))

    with committed():
        assert stripe_events_redeliver() == 1

    assert state(order) == ("paid", "paid")
    assert stripe_events_redeliver() == 0


# --- Refunds ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_payment_for_an_order_that_expired_meanwhile_is_refunded_at_once(started, post_event, mailoutbox, committed):
    order, intent_id = started
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(hours=1))
    with committed():
        assert orders_expire() == 1  # its intent's cancellation finds it already paid at Stripe
    mailoutbox.clear()

    with committed():
        assert post_event(succeeded(intent_id, 420000)).status_code == 200

    assert state(order) == ("cancelled", "refunded")
    refund = Refund.objects.get()
    assert (refund.status, refund.amount, refund.stripe_id.startswith("re_")) == ("succeeded", 4200, True)
    assert [message.subject for message in mailoutbox] == [
        f"Your payment for Luxyhome order {order.number} has been refunded"
    ]


@pytest.fixture
def paid(started, post_event, mailoutbox) -> tuple[Order, str]:
    order, intent_id = started
    post_event(succeeded(intent_id, 420000))
    assert state(order) == ("paid", "paid")
    mailoutbox.clear()
    return order, intent_id


@pytest.mark.django_db
def test_a_staff_cancel_of_a_paid_order_refunds_it_once_even_when_retried(
    paid, stripe_shop, committed, mailoutbox, browser
):
    order, intent_id = paid
    refunded = counted("refunded")

    for _ in range(2):  # the second is a retry of the first: the order is cancelled already
        with committed():
            browser.post("/admin/orders/order/", {"action": "cancel", "_selected_action": [order.pk], "index": "0"})
    with committed():
        refund_send(refund_id=Refund.objects.get().pk)  # a task that runs twice

    assert state(order) == ("cancelled", "refunded")
    [refund] = stripe_shop.v1.refunds.list(params={"payment_intent": intent_id}).data
    assert (refund.amount, refund.status) == (420000, "succeeded")
    assert Refund.objects.get().stripe_id == refund.id
    assert counted("refunded") == refunded + 1
    assert [message.subject for message in mailoutbox] == [
        f"Your Luxyhome order {order.number} is cancelled",
        f"Your payment for Luxyhome order {order.number} has been refunded",
    ]


@pytest.mark.django_db
def test_a_refund_stripe_finishes_later_is_recorded_from_its_event(paid, post_event, settings, committed):
    order, _ = paid
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # Stripe unreachable when the refund is sent
    with committed():
        order_status_change(order=order, status="cancelled")
    refund = Refund.objects.get()
    assert (refund.status, refund.stripe_id, state(order)) == ("pending", None, ("cancelled", "refund_pending"))
    Refund.objects.filter(pk=refund.pk).update(stripe_id="re_later")  # Stripe took it; its answer was lost

    stripe_refund = {"id": "re_later", "object": "refund", "amount": 420000, "status": "succeeded"}
    post_event({"id": "evt_refund", "type": "refund.updated", "data": {"object": stripe_refund}})

    assert state(order) == ("cancelled", "refunded")
    assert Refund.objects.get().status == "succeeded"


@pytest.mark.django_db
def test_cancelling_an_order_awaiting_payment_cancels_its_live_intent(
    stripe_shop, shopper, shopper_client, sofa, committed
):
    order = place_order(shopper, (sofa, 1))
    intent_id = shopper_client.post(pay_url(order)).json()["id"]

    with committed():
        assert shopper_client.post(f"/api/orders/{order.pk}/cancel").status_code == 200

    assert stripe_shop.v1.payment_intents.retrieve(intent_id).status == "canceled"
    assert Payment.objects.get().status == "canceled"
    assert state(order) == ("cancelled", "unpaid")
    assert not Refund.objects.exists()


@pytest.mark.django_db
def test_the_orders_admin_page_shows_its_payments_and_refunds(paid, browser, committed):
    order, intent_id = paid
    with committed():
        order_status_change(order=order, status="cancelled")

    page = browser.get(f"/admin/orders/order/{order.pk}/change/").content.decode()

    assert intent_id in page
    assert f"4200.00 succeeded {Refund.objects.get().stripe_id}" in page
    assert "Refund pending" not in page
    assert "Refunded" in page  # the order's payment status
