from django.db import models
from django.db.models import Q

from orders.models import Order


class Payment(models.Model):
    """A Stripe PaymentIntent for an order: what the shopper is asked to pay, and Stripe's word on it."""

    # Stripe's statuses of a PaymentIntent
    LIVE_STATUSES = {"requires_payment_method", "requires_confirmation", "requires_action", "processing"}
    SUCCEEDED, CANCELED = "succeeded", "canceled"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    intent_id = models.CharField(max_length=255, unique=True, help_text="Stripe's PaymentIntent id (pi_…).")
    status = models.CharField(max_length=32, help_text="Stripe's status of the intent, as last heard.")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.intent_id


class Refund(models.Model):
    """Money given back for a payment: pending until Stripe says it succeeded."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    stripe_id = models.CharField(max_length=255, unique=True, null=True, blank=True, help_text="re_…, once asked.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at"], condition=Q(status="pending"), name="payments_refund_pending")]

    def __str__(self):
        return self.stripe_id or f"refund of {self.payment}"


class StripeEvent(models.Model):
    """A webhook event from Stripe, stored before anything is done with it: the id makes a repeat a no-op,
    and an unprocessed row is work still owed (the sweep sends it again)."""

    id = models.CharField(primary_key=True, max_length=255, help_text="Stripe's event id (evt_…).")
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["received_at"], condition=Q(processed_at__isnull=True), name="payments_event_unprocessed"
            ),
            models.Index(
                fields=["processed_at"], condition=Q(processed_at__isnull=False), name="payments_event_processed"
            ),
        ]

    def __str__(self):
        return f"{self.type} {self.id}"
