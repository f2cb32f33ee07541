from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog.models import Product

MAX_QUANTITY = 99
MAX_LINES = 50  # distinct products in one cart


class Cart(models.Model):
    """A shopper's one cart, made on their first add."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Cart of {self.user}"


class CartSpan(models.Model):
    """A stretch of time a cart held lines: from a line put into it while it was empty until it was
    emptied (checked out, or its last line taken out). The staff figures count carts by these, so a
    cart filled again after a checkout counts again, and the history stays when the cart is gone."""

    cart = models.ForeignKey(Cart, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="Empty: still holding lines.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cart"], condition=Q(ended_at=None), name="cart_span_one_open_per_cart"),
            models.CheckConstraint(
                condition=Q(ended_at=None) | Q(ended_at__gte=models.F("started_at")), name="cart_span_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.cart or 'a cart'} from {self.started_at:%Y-%m-%d %H:%M}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cart_item_one_line_per_product"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY), name="cart_item_quantity_1_to_99"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product}"
