"""Payments through Stripe: an intent for each order, what Stripe says of it, refunds.

Locks are taken in one order everywhere: the order's row, then its payments' and refunds' rows.
"""

import logging
from datetime import timedelta

import stripe
from django.db import transaction
from django.utils import timezone

from luxyhome.celery import send_on_commit
from luxyhome.metrics import PAYMENTS
from orders import services as order_services  # a module: orders.services calls back into this one
from orders.emails import order_email_queue
from orders.models import Order
from payments import gateway, tasks
from payments.exceptions import OrderNotPayable
from payments.models import Payment, Refund

logger = logging.getLogger(__name__)

PaymentStatus = Order.PaymentStatus
REDELIVERY_GRACE = timedelta(minutes=5)  # a refund still pending this long is asked about again


# --- Paying an order ---------------------------------------------------------------------------


def payment_start(*, order: Order) -> tuple[Payment, stripe.PaymentIntent, bool]:
    """The PaymentIntent that pays the order: its live intent again, or a new one for the order's total.

    The order's row stays locked while Stripe answers, so a shopper's concurrent requests get one
    intent; a new intent's idempotency key names the order and how many intents it had, so a request
    retried after a lost answer gets the same intent from Stripe. Returns (payment, intent, created).
    Raises PaymentsUnavailable, OrderNotPayable, PaymentProviderUnavailable.
    """
    client = gateway.client()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.expires_at is None or order.expires_at <= timezone.now():
            raise OrderNotPayable()
        with gateway.provider_errors():
            for payment in order.payments.filter(status__in=Payment.LIVE_STATUSES):
                payment.order = order  # the locked one
                intent = client.v1.payment_intents.retrieve(payment.intent_id)
                _intent_status_record(payment, intent.to_dict())
                if intent.status in Payment.LIVE_STATUSES or intent.status == Payment.SUCCEEDED:
                    return payment, intent, False
            intent = client.v1.payment_intents.create(
                params={
                    "amount": gateway.minor_units(order.total, order.currency),
                    "currency": order.currency.lower(),
                    "payment_method_types": ["card"],
                    "metadata": {"order_id": str(order.pk), "order_number": order.number},
                },
                options={"idempotency_key": f"luxyhome-order-{order.pk}-intent-{order.payments.count() + 1}"},
            )
        payment = Payment.objects.create(
            order=order, intent_id=intent.id, status=intent.status, amount=order.total, currency=order.currency
        )
        return payment, intent, True


# --- What Stripe says ------------------------------------------------------------------------


def intent_record(*, intent: dict) -> None:
    """What Stripe says of an intent (a payment_intent.* event's object), if it is one of ours."""
    payment = _payment_locked(intent["id"])
    if payment is not None:
        _intent_status_record(payment, intent)


def _intent_status_record(payment: Payment, intent: dict) -> None:
    """Record Stripe's status of an intent, on a payment whose order is locked. A succeeded payment
    never goes back, so an event that arrives late or twice changes nothing. The first success pays
    the order; when the order no longer awaits payment (expired, cancelled, or paid by another
    intent) the money goes back at once."""
    if payment.status in (Payment.SUCCEEDED, intent["status"]):
        return
    payment.status = intent["status"]
    payment.save(update_fields=["status", "updated_at"])
    if payment.status == "requires_payment_method":
        PAYMENTS.labels(outcome="failed").inc()  # a declined card: the shopper may try again
    if payment.status != Payment.SUCCEEDED or not _takes_the_payments_amount(payment, intent):
        return
    PAYMENTS.labels(outcome="succeeded").inc()
    order = payment.order
    if order.status == Order.Status.PENDING and order.payment_status == PaymentStatus.UNPAID:
        order_services.order_status_change(order=order, status=Order.Status.PAID)
        return
    logger.warning("%s succeeded for order %s, which is %s: refunding it", payment, order.number, order.status)
    if order.status == Order.Status.CANCELLED:
        order_services.order_payment_status_set(order=order, payment_status=PaymentStatus.REFUND_PENDING)
    _refund_create(payment)


def _takes_the_payments_amount(payment: Payment, intent: dict) -> bool:
    amount = gateway.minor_units(payment.amount, payment.currency)
    if intent["amount"] == amount and intent["currency"].upper() == payment.currency:
        return True
    PAYMENTS.labels(outcome="amount_mismatch").inc()
    logger.error(
        "%s took %s %s, not %s for order %s",
        payment,
        intent["amount"],
        intent["currency"],
        amount,
        payment.order.number,
    )
    return False


def refund_record(*, stripe_refund: dict) -> None:
    """What Stripe says of a refund (a refund.* event's object), if it is one of ours."""
    refund = Refund.objects.filter(stripe_id=stripe_refund["id"]).first()
    if refund is not None:
        _refund_status_record(refund.pk, stripe_refund["status"])


def _payment_locked(intent_id: str) -> Payment | None:
    """Our payment for this intent, its order's row locked first; None for an intent that is not ours."""
    order_id = Payment.objects.filter(intent_id=intent_id).values_list("order_id", flat=True).first()
    if order_id is None:
        logger.info("Ignoring PaymentIntent %s: not one of ours", intent_id)
        return None
    order = Order.objects.select_for_update().get(pk=order_id)
    payment = Payment.objects.select_for_update().get(intent_id=intent_id)
    payment.order = order
    return payment


# --- Refunds and cancellations ------------------------------------------------------------------


def order_payments_settle(*, order: Order) -> None:
    """The money of an order being cancelled (its row locked): a paid order is refunded in full, and
    intents still live are cancelled after commit, so nobody pays a cancelled order."""
    for payment in order.payments.select_for_update():
        if payment.status == Payment.SUCCEEDED and not payment.refunds.exists():
            order.payment_status = PaymentStatus.REFUND_PENDING
            _refund_create(payment)
        elif payment.status in Payment.LIVE_STATUSES:
            send_on_commit(tasks.payment_intent_cancel, payment.pk)


def _refund_create(payment: Payment) -> Refund:
    """A pending refund of the whole payment; Stripe is asked once this commits."""
    refund = Refund.objects.create(payment=payment, amount=payment.amount)
    send_on_commit(tasks.refund_send, refund.pk)
    return refund


def refund_send(*, refund_id: int) -> None:
    """Ask Stripe for a pending refund, or what became of it; its idempotency key makes a repeat
    return the same refund. Raises PaymentProviderUnavailable (the task tries again later)."""
    order_id = Refund.objects.filter(pk=refund_id).values_list("payment__order_id", flat=True).first()
    if order_id is None:
        return
    client = gateway.client()
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order_id)
        refund = Refund.objects.select_for_update().select_related("payment").get(pk=refund_id)
        if refund.status != Refund.Status.PENDING:
            return
        with gateway.provider_errors():
            if refund.stripe_id:
                stripe_refund = client.v1.refunds.retrieve(refund.stripe_id)
            else:
                stripe_refund = client.v1.refunds.create(
                    params={
                        "payment_intent": refund.payment.intent_id,
                        "amount": gateway.minor_units(refund.amount, refund.payment.currency),
                    },
                    options={"idempotency_key": f"luxyhome-refund-{refund.pk}"},
                )
                refund.stripe_id = stripe_refund.id
                refund.save(update_fields=["stripe_id", "updated_at"])
        _refund_status_record(refund.pk, stripe_refund.status)


def _refund_status_record(refund_id: int, status: str) -> None:
    """Stripe's word on a refund: once it succeeded the order says refunded and the shopper is told."""
    order_id = Refund.objects.filter(pk=refund_id).values_list("payment__order_id", flat=True).get()
    order = Order.objects.select_for_update().get(pk=order_id)
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.status != Refund.Status.PENDING or status not in (Refund.Status.SUCCEEDED, Refund.Status.FAILED):
        return
    refund.status = status
    refund.save(update_fields=["status", "updated_at"])
    if status == Refund.Status.FAILED:
        logger.error("Stripe could not refund %s for order %s: refund it by hand", refund.stripe_id, order.number)
        return
    PAYMENTS.labels(outcome="refunded").inc()
    if order.payment_status == PaymentStatus.REFUND_PENDING:
        order_services.order_payment_status_set(order=order, payment_status=PaymentStatus.REFUNDED)
        order_email_queue(order=order, kind="refunded")


def payment_intent_cancel(*, payment_id: int) -> None:
    """Cancel a live intent of a cancelled order. An intent that succeeded meanwhile is refunded when its
    event arrives. Raises PaymentProviderUnavailable."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.status not in Payment.LIVE_STATUSES:
        return
    with gateway.provider_errors():
        try:
            intent = gateway.client().v1.payment_intents.cancel(
                payment.intent_id, options={"idempotency_key": f"luxyhome-cancel-{payment.intent_id}"}
            )
        except stripe.InvalidRequestError:  # no longer cancellable: succeeded or cancelled meanwhile
            return
    with transaction.atomic():
        payment = _payment_locked(payment.intent_id)
        _intent_status_record(payment, intent.to_dict())


# --- Sweeps ------------------------------------------------------------------------------------


def refunds_redeliver(*, limit: int = 500) -> int:
    """Ask Stripe again about the refunds pending for more than REDELIVERY_GRACE; returns how many."""
    overdue = Refund.objects.filter(status=Refund.Status.PENDING, created_at__lte=timezone.now() - REDELIVERY_GRACE)
    ids = list(overdue.order_by("created_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        tasks.refund_send.delay(pk)
    return len(ids)
