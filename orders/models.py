from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat, Greatest, Length, Right
from django.utils import timezone

from catalog.models import Product


class OrderQuerySet(models.QuerySet):
    def awaiting_payment(self):
        """Pending orders not paid yet: they hold their stock until paid or expired."""
        return self.filter(status=Order.Status.PENDING, payment_status=Order.PaymentStatus.UNPAID)

    def paid(self):
        """Orders that were paid, whatever became of them since: shipped, delivered, or cancelled and
        refunded."""
        paid_status = Q(status__in=[Order.Status.PAID, Order.Status.SHIPPED, Order.Status.DELIVERED])
        refunded = Q(payment_status__in=[Order.PaymentStatus.REFUND_PENDING, Order.PaymentStatus.REFUNDED])
        return self.filter(paid_status | refunded)

    def expired(self):
        """Orders awaiting payment for longer than PENDING_ORDER_TTL_SECONDS."""
        ttl = timedelta(seconds=settings.PENDING_ORDER_TTL_SECONDS)
        return self.awaiting_payment().filter(created_at__lt=timezone.now() - ttl)


class Order(models.Model):
    """A placed order. Prices, names and the total are copied at placement and never change."""

    class Status(models.TextChoices):
        PENDING = "pending"
        PAID = "paid"
        SHIPPED = "shipped"
        DELIVERED = "delivered"
        CANCELLED = "cancelled"

    class PaymentStatus(models.TextChoices):
        UNPAID = "unpaid"
        PAID = "paid"
        REFUND_PENDING = "refund_pending"
        REFUNDED = "refunded"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    # LXH-000123 (at least six digits), made by the database from the id: unique, no second write
    number = models.GeneratedField(
        expression=Concat(
            Value("LXH-"),
            Right(
                Concat(Value("000000"), Cast("id", CharField())),
                Greatest(Value(6), Length(Cast("id", CharField()))),
            ),
        ),
        output_field=models.CharField(max_length=24),
        db_persist=True,
        unique=True,
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    payment_status = models.CharField(max_length=16, choices=PaymentStatus, default=PaymentStatus.UNPAID)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    shipping_full_name = models.CharField(max_length=200)
    shipping_line1 = models.CharField(max_length=200)
    shipping_line2 = models.CharField(max_length=200, blank=True)
    shipping_city = models.CharField(max_length=100)
    shipping_postal_code = models.CharField(max_length=20)
    shipping_country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    shipping_phone = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="orders_order_user_newest"),
            # the expiry sweep and the per-shopper limit read only the orders awaiting payment
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending", payment_status="unpaid"),
                name="orders_order_awaiting_payment",
            ),
        ]
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="orders_order_total_not_negative")]

    def __str__(self):
        return self.number or "new order"

    @property
    def expires_at(self):
        """When an order awaiting payment is cancelled and its stock given back; None for any other."""
        if self.status != self.Status.PENDING or self.payment_status != self.PaymentStatus.UNPAID:
            return None
        return self.created_at + timedelta(seconds=settings.PENDING_ORDER_TTL_SECONDS)

    @property
    def shipping_address(self) -> dict:
        return {field: getattr(self, f"shipping_{field}") for field in SHIPPING_FIELDS}


SHIPPING_FIELDS = ["full_name", "line1", "line2", "city", "postal_code", "country", "phone"]


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    # PROTECT: a product that was ever ordered is archived, never deleted
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    product_name = models.CharField(max_length=200)
    quantity = models.PositiveSmallIntegerField()
    price = models.DecimalField(max_digits=10, decimal_places=2, help_text="Unit price when ordered.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_item_quantity_positive"),
            models.CheckConstraint(condition=Q(price__gt=0), name="orders_item_price_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product_name}"

    @property
    def line_total(self):
        return self.price * self.quantity


class IdempotencyKey(models.Model):
    """A shopper's Idempotency-Key for placing an order (kept at least 24 hours).

    Claimed in its own committed transaction before the checkout runs, so a concurrent request
    with the same key sees it at once: without an order it is still in flight (409), with one
    it is a replay. `fingerprint` is the hash of the cart and address it was first used with.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    order = models.OneToOneField(Order, null=True, blank=True, on_delete=models.CASCADE, related_name="idempotency_key")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="orders_idempotency_key_per_user")]

    def __str__(self):
        return self.key
