"""The e-mail outbox with a real worker: every e-mail sent once, none lost, none doubled."""

import time
from datetime import timedelta
from functools import partial
from smtplib import SMTPException

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone

from cart.tests.factories import fill_cart
from luxyhome.metrics import TASKS
from luxyhome.tests.threads import at_once
from outbox import tasks
from outbox.models import Email
from outbox.services import email_deliver, email_queue, emails_redeliver

TEMPLATE = "emails/order_cancelled"  # any template pair will do: these tests are about delivery
CONTEXT = {"order": {"number": "LXH-000042", "user": {"name": "Ada Whitmore"}}, "items": []}


class FlakyBackend(LocmemBackend):
    """A mail server that refuses the first three messages, then accepts every one."""

    failures_left = 3

    def send_messages(self, email_messages):
        if FlakyBackend.failures_left:
            FlakyBackend.failures_left -= 1
            raise SMTPException("451 Try again later")
        return super().send_messages(email_messages)


class SlowBackend(LocmemBackend):
    """A mail server that takes a while to answer."""

    def send_messages(self, email_messages):
        time.sleep(0.5)
        return super().send_messages(email_messages)


def queue(to="ada@luxyhome.example", subject="Hello from Luxyhome") -> Email:
    with transaction.atomic():
        return email_queue(to=to, subject=subject, template=TEMPLATE, context=CONTEXT)


def sent_count(task) -> float:
    return TASKS.labels(task=task.name, outcome="succeeded")._value.get()


def test_a_placed_orders_confirmation_is_sent_by_the_worker_once(
    celery_worker, shopper_client, shopper, sofa, shipping_address, mailoutbox, wait_until
):
    fill_cart(shopper, (sofa, 1))
    sent_before = sent_count(tasks.email_send)

    response = shopper_client.post("/api/orders", {"shipping_address": shipping_address})

    assert response.status_code == 201
    wait_until(lambda: sent_count(tasks.email_send) == sent_before + 1)
    [message] = mailoutbox
    assert (message.to, message.subject) == (
        [shopper.email],
        f"Your Luxyhome order {response.json()['number']} is confirmed",
    )
    assert Email.objects.get().sent_at is not None


def test_a_mail_server_failing_three_times_then_working_sends_exactly_one(
    celery_worker, settings, mailoutbox, wait_until
):
    settings.EMAIL_BACKEND = "outbox.tests.test_delivery.FlakyBackend"
    settings.EMAIL_RETRY_SECONDS = 0  # retry at once: the backoff itself is asserted below
    FlakyBackend.failures_left = 3
    retried = TASKS.labels(task=tasks.email_send.name, outcome="retried")._value.get()

    email = queue()

    wait_until(lambda: Email.objects.filter(pk=email.pk, sent_at__isnull=False).exists())
    [message] = mailoutbox
    assert message.subject == "Hello from Luxyhome"
    email.refresh_from_db()
    assert (email.attempts, email.last_error) == (3, "SMTPException: 451 Try again later")
    assert TASKS.labels(task=tasks.email_send.name, outcome="retried")._value.get() == retried + 3


def test_a_task_run_twice_sends_one_email(celery_worker, mailoutbox, wait_until):
    email = queue()
    wait_until(lambda: len(mailoutbox) == 1)
    sent_before = sent_count(tasks.email_send)

    tasks.email_send.delay(email.pk)  # a redelivered message, or the sweep's
    wait_until(lambda: sent_count(tasks.email_send) == sent_before + 1)

    assert len(mailoutbox) == 1


def test_a_rolled_back_transaction_sends_no_task(celery_worker, mailoutbox, wait_until):
    def event_that_fails():
        with transaction.atomic():
            queue(subject="Never")
            raise RuntimeError("the event failed")

    with pytest.raises(RuntimeError):
        event_that_fails()
    sent_before = sent_count(tasks.email_send)

    queue(subject="After")  # the worker takes tasks in order: once this one ran, any earlier one has
    wait_until(lambda: sent_count(tasks.email_send) == sent_before + 1)

    assert [message.subject for message in mailoutbox] == ["After"]
    assert list(Email.objects.values_list("subject", flat=True)) == ["After"]


def test_an_email_is_sent_when_the_transaction_commits_not_before(celery_worker, mailoutbox, wait_until):
    with transaction.atomic():
        email = email_queue(to="ada@luxyhome.example", subject="Later", template=TEMPLATE, context=CONTEXT)
        time.sleep(0.3)  # a worker handed the task now would not find the row
        assert mailoutbox == []

    wait_until(lambda: Email.objects.filter(pk=email.pk, sent_at__isnull=False).exists())
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_mail_server_that_is_down_delays_emails_and_loses_none(settings, mailoutbox, committed):
    settings.EMAIL_BACKEND = "outbox.tests.backends.FailingBackend"
    with committed():
        email = queue()  # with no worker: sent, and retried, in-process right after the commit

    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == tasks.EMAIL_SEND_RETRIES + 1
    assert email.last_error == "SMTPException: Connection refused"
    # backoff: 30 s doubled at each failure, so the sixth one waits 16 minutes
    assert timedelta(minutes=15) < email.next_attempt_at - timezone.now() <= timedelta(minutes=16)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with committed():
        assert emails_redeliver() == 0  # not due yet: its retry is still waiting
    Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=6))
    with committed():
        assert emails_redeliver() == 1

    assert [message.subject for message in mailoutbox] == ["Hello from Luxyhome"]
    email.refresh_from_db()
    assert email.sent_at is not None
    with committed():
        assert emails_redeliver() == 0
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_sweep_sends_an_email_whose_task_was_lost(mailoutbox, committed):
    # an e-mail committed while the broker was down: no task was ever sent
    Email.objects.create(
        to="ada@luxyhome.example",
        subject="Lost",
        template=TEMPLATE,
        context=CONTEXT,
        next_attempt_at=timezone.now() - timedelta(minutes=10),
    )
    Email.objects.create(to="bo@luxyhome.example", subject="Just queued", template=TEMPLATE, context=CONTEXT)

    with committed():
        assert emails_redeliver() == 1

    [message] = mailoutbox
    assert (message.to, message.subject) == (["ada@luxyhome.example"], "Lost")
    for part in (message.body, message.alternatives[0][0]):  # rendered when sent, from the stored data
        assert "Dear Ada Whitmore," in part
        assert "LXH-000042" in part
    assert message.extra_headers["Message-ID"].startswith("<outbox-")


@pytest.mark.django_db
def test_every_attempt_at_an_email_carries_the_same_message_id(settings, mailoutbox, committed):
    settings.EMAIL_BACKEND = "outbox.tests.test_delivery.FlakyBackend"
    settings.EMAIL_RETRY_SECONDS = 0
    FlakyBackend.failures_left = 1
    with committed():
        email = queue()  # fails once, then its retry goes through

    [message] = mailoutbox
    assert (
        message.extra_headers["Message-ID"] == f"<outbox-{email.pk}.{email.created_at:%Y%m%d%H%M%S}@luxyhome.example>"
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_one_email_at_once_send_one_copy(postgresql, settings, mailoutbox):
    settings.EMAIL_BACKEND = "outbox.tests.test_delivery.SlowBackend"
    email = Email.objects.create(to="ada@luxyhome.example", subject="Once", template=TEMPLATE, context=CONTEXT)
    deliver = partial(email_deliver, email_id=email.pk)

    assert sorted(at_once([deliver, deliver])) == [False, True]
    assert len(mailoutbox) == 1
