"""The e-mail outbox: an e-mail is kept in the transaction of its event and sent by a worker, once."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from luxyhome.celery import send_on_commit
from outbox import tasks
from outbox.models import Email

RETRY_DELAY_MAX = timedelta(minutes=30)  # shorter than the broker's visibility timeout (settings)
# an unsent e-mail this long past its due time has lost its task (a worker that died, a broker that
# was down at commit, retries given up): the sweep sends it again
REDELIVERY_GRACE = timedelta(minutes=5)
SENT_EMAIL_LIFETIME = timedelta(days=30)


class EmailNotSent(Exception):
    """The mail backend failed; the next attempt is due in `retry_in` seconds."""

    def __init__(self, retry_in: int):
        super().__init__(f"E-mail not sent; next attempt in {retry_in} s.")
        self.retry_in = retry_in


def email_queue(*, to: str, subject: str, template: str, context: dict) -> Email:
    """Keep an e-mail in the outbox and send it once the current transaction commits; a rollback
    leaves neither the e-mail nor its task. The worker renders `template`.txt and `template`.html
    with `context` (plain data: it is stored as JSON)."""
    email = Email.objects.create(to=to, subject=subject, template=template, context=context)
    send_on_commit(tasks.email_send, email.pk)
    return email


def email_deliver(*, email_id: int) -> bool:
    """Send an outbox e-mail unless it was sent already or is being sent now; True if it went out now.

    The row stays locked while the mail server answers, so a task run twice (a redelivered message,
    a sweep) sends one copy. Every attempt carries the same Message-ID, so a mail system that got a
    copy we could not record as sent can drop the repeat. A failure is recorded on the row.
    Raises EmailNotSent.
    """
    with transaction.atomic():
        # skip_locked: another worker is sending this one right now, and will record it
        email = Email.objects.select_for_update(skip_locked=True).filter(pk=email_id, sent_at__isnull=True).first()
        if email is None:
            return False
        error = _send(email)
        if error is None:
            email.sent_at = timezone.now()
            email.save(update_fields=["sent_at"])
            return True
        email.attempts += 1
        retry_in = min(settings.EMAIL_RETRY_SECONDS * 2 ** (email.attempts - 1), RETRY_DELAY_MAX.total_seconds())
        email.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        email.save(update_fields=["attempts", "next_attempt_at", "last_error"])
    raise EmailNotSent(int(retry_in)) from error


def _send(email: Email) -> Exception | None:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or "luxyhome.example"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=render_to_string(f"{email.template}.txt", email.context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": f"<outbox-{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{domain}>"},
    )
    message.attach_alternative(render_to_string(f"{email.template}.html", email.context), "text/html")
    try:
        message.send()
    except Exception as error:  # a backend raises many kinds: SMTPException, OSError, timeouts
        return error
    return None


def emails_redeliver(*, limit: int = 500) -> int:
    """Send again, oldest first, the unsent e-mails overdue by REDELIVERY_GRACE; returns how many."""
    now = timezone.now()
    with transaction.atomic():
        overdue = Email.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now - REDELIVERY_GRACE)
        ids = list(overdue.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        # the next sweep leaves them a grace period again before it sends any of them once more
        Email.objects.filter(pk__in=ids).update(next_attempt_at=now)
        for pk in ids:
            send_on_commit(tasks.email_send, pk)
    return len(ids)


def sent_emails_purge() -> int:
    """Forget e-mails sent more than 30 days ago; returns how many."""
    deleted, _ = Email.objects.filter(sent_at__lt=timezone.now() - SENT_EMAIL_LIFETIME).delete()
    return deleted
