from celery import shared_task

from orders import services


@shared_task
def orders_expire() -> int:
    return services.orders_expire()


@shared_task
def idempotency_keys_purge() -> int:
    return services.idempotency_keys_purge()
