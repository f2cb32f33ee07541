from rest_framework import serializers

from luxyhome.api.serializers import InputSerializer, ModelSerializer
from orders.models import Order, OrderItem


class ShippingAddressSerializer(InputSerializer):
    """Where the order goes."""

    full_name = serializers.CharField(max_length=200)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    postal_code = serializers.CharField(max_length=20)
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        help_text="ISO 3166-1 alpha-2 code, e.g. US.",
        error_messages={"invalid": "Use a two-letter country code."},
    )
    phone = serializers.RegexField(
        r"^\+?[0-9 ()./-]{5,32}$", max_length=32, required=False, allow_blank=True, default=""
    )

    def validate_country(self, value: str) -> str:
        return value.upper()


class OrderCreateSerializer(InputSerializer):
    """An order to place from the cart: where it goes."""

    shipping_address = ShippingAddressSerializer()


class OrderItemSerializer(ModelSerializer):
    """An order line, at the price it was ordered at."""

    unit_price = serializers.DecimalField(source="price", max_digits=10, decimal_places=2)
    line_total = serializers.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        model = OrderItem
        fields = ["id", "product_id", "product_name", "unit_price", "quantity", "line_total"]


class OrderSerializer(ModelSerializer):
    """An order: its lines, total and status."""

    items = OrderItemSerializer(many=True)
    shipping_address = ShippingAddressSerializer()
    expires_at = serializers.DateTimeField(
        allow_null=True,
        help_text="While the order awaits payment: when it is cancelled and its stock given back. Else null.",
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "status",
            "payment_status",
            "expires_at",
            "items",
            "total",
            "currency",
            "shipping_address",
            "created_at",
            "updated_at",
        ]


class OrderUpdateSerializer(ModelSerializer):
    """What the shopper's sockets hear when an order's status or payment status changes."""

    class Meta:
        model = Order
        fields = ["id", "number", "status", "payment_status", "updated_at"]
