from celery import shared_task

from payments import services, webhooks
from payments.exceptions import PaymentProviderUnavailable

# Stripe unreachable: try again with backoff (about 10 s, 20 s, ... up to 10 minutes); the sweeps take
# over after that
RETRY = {
    "autoretry_for": (PaymentProviderUnavailable,),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "max_retries": 6,
}


@shared_task(autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=600, max_retries=6)
def stripe_event_process(event_id: str) -> None:
    webhooks.stripe_event_process(event_id=event_id)


@shared_task(**RETRY)
def refund_send(refund_id: int) -> None:
    services.refund_send(refund_id=refund_id)


@shared_task(**RETRY)
def payment_intent_cancel(payment_id: int) -> None:
    services.payment_intent_cancel(payment_id=payment_id)


@shared_task
def stripe_events_redeliver() -> int:
    return webhooks.stripe_events_redeliver()


@shared_task
def refunds_redeliver() -> int:
    return services.refunds_redeliver()


@shared_task
def processed_events_purge() -> int:
    return webhooks.processed_events_purge()
