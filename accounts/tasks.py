from celery import shared_task

from accounts import services


@shared_task
def expired_tokens_purge() -> int:
    return services.expired_tokens_purge()


@shared_task
def password_reset_email_send(email: str) -> bool:
    return services.password_reset_email_send(email=email)
