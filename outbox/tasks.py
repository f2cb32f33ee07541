from celery import shared_task

from outbox import services

# Celery's retries cover a short outage of the mail server (30 s, 1, 2, 4, 8 minutes with the default
# EMAIL_RETRY_SECONDS); after that the sweep (emails_redeliver) keeps trying at its own pace.
EMAIL_SEND_RETRIES = 5


@shared_task(bind=True, max_retries=EMAIL_SEND_RETRIES)
def email_send(self, email_id: int) -> None:
    """Send one outbox e-mail, retrying with backoff while the mail server fails."""
    try:
        services.email_deliver(email_id=email_id)
    except services.EmailNotSent as error:
        raise self.retry(countdown=error.retry_in, exc=error) from error


@shared_task
def emails_redeliver() -> int:
    return services.emails_redeliver()


@shared_task
def sent_emails_purge() -> int:
    return services.sent_emails_purge()
