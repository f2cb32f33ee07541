"""Stripe's webhook events: verified, stored once under their id, applied once by a task."""

import json
from datetime import timedelta

import stripe
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from luxyhome.celery import send_on_commit
from luxyhome.metrics import WEBHOOK_EVENTS_REJECTED
from payments import services, tasks
from payments.exceptions import InvalidSignature, WebhookUnavailable
from payments.models import StripeEvent

SIGNATURE_TOLERANCE = 300  # seconds: an older Stripe-Signature is refused, so a captured event cannot be replayed
REDELIVERY_GRACE = timedelta(minutes=5)  # an event stored this long and not applied lost its task
MAX_EVENT_ATTEMPTS = 20  # an event that failed this often waits for a person (the admin lists it)
PROCESSED_EVENT_LIFETIME = timedelta(days=90)
INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.processing",
}
REFUND_EVENTS = {"refund.created", "refund.updated"}
STORE_EVENT_SQL = f"""
    INSERT INTO {StripeEvent._meta.db_table} (id, type, payload, received_at, attempts) VALUES (%s, %s, %s, %s, 0)
    ON CONFLICT (id) DO NOTHING RETURNING id
"""


def stripe_event_receive(*, payload: bytes, signature: str | None) -> bool:
    """Verify a webhook event and store it, and send the task that applies it: True if it was new. An
    event id stored before changes nothing. Raises WebhookUnavailable, InvalidSignature."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise WebhookUnavailable()
    try:
        stripe.Webhook.construct_event(payload, signature or "", settings.STRIPE_WEBHOOK_SECRET, SIGNATURE_TOLERANCE)
        event = json.loads(payload)
        event_id, event_type = str(event["id"]), str(event["type"])
    except (ValueError, KeyError, TypeError, stripe.SignatureVerificationError):
        WEBHOOK_EVENTS_REJECTED.inc()
        raise InvalidSignature() from None
    # one statement, no transaction around it: Stripe's retries make repeats common, and a repeat must be
    # a no-op, not an IntegrityError
    with connection.cursor() as cursor:
        cursor.execute(STORE_EVENT_SQL, [event_id, event_type, payload.decode(), timezone.now()])
        stored = cursor.fetchone() is not None
    if stored:
        send_on_commit(tasks.stripe_event_process, event_id)
    return stored


def stripe_event_process(*, event_id: str) -> bool:
    """Apply a stored event, once: True if it was applied now. Event types we do not act on are
    marked processed and nothing else."""
    StripeEvent.objects.filter(pk=event_id, processed_at__isnull=True).update(attempts=F("attempts") + 1)
    with transaction.atomic():
        # skip_locked: another worker is applying this event right now
        event = StripeEvent.objects.select_for_update(skip_locked=True).filter(pk=event_id, processed_at__isnull=True)
        event = event.first()
        if event is None:
            return False
        if event.type in INTENT_EVENTS:
            services.intent_record(intent=event.payload["data"]["object"])
        elif event.type in REFUND_EVENTS:
            services.refund_record(stripe_refund=event.payload["data"]["object"])
        event.processed_at = timezone.now()
        event.save(update_fields=["processed_at"])
    return True


def stripe_events_redeliver(*, limit: int = 500) -> int:
    """Apply again the events stored more than REDELIVERY_GRACE ago and still not applied; returns how many."""
    overdue = StripeEvent.objects.filter(
        processed_at__isnull=True, received_at__lte=timezone.now() - REDELIVERY_GRACE, attempts__lt=MAX_EVENT_ATTEMPTS
    )
    ids = list(overdue.order_by("received_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        tasks.stripe_event_process.delay(pk)
    return len(ids)


def processed_events_purge() -> int:
    """Forget events applied more than 90 days ago; returns how many."""
    deleted, _ = StripeEvent.objects.filter(processed_at__lt=timezone.now() - PROCESSED_EVENT_LIFETIME).delete()
    return deleted
