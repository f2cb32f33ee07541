from celery import shared_task

from accounts import services


@shared_task
def expired_tokens_purge() -> int:
    return services.expired_tokens_purge()
