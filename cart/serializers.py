from rest_framework import serializers

from cart.models import MAX_QUANTITY, CartItem
from catalog.serializers import ProductSerializer
from luxyhome.api.serializers import InputSerializer, ModelSerializer


class CartProductSerializer(ProductSerializer):
    """The product of a cart line, as it is now."""

    class Meta(ProductSerializer.Meta):
        fields = ["id", "name", "slug", "price", "image_url", "stock", "in_stock"]


class CartItemSerializer(ModelSerializer):
    """A cart line at today's price."""

    product = CartProductSerializer()
    unit_price = serializers.DecimalField(source="product.price", max_digits=10, decimal_places=2)
    line_total = serializers.SerializerMethodField()
    availability = serializers.SerializerMethodField(
        help_text="available, or why the line cannot be bought as it is: insufficient_stock, out_of_stock, archived."
    )

    class Meta:
        model = CartItem
        fields = ["id", "product", "quantity", "unit_price", "line_total", "availability"]

    def get_line_total(self, item) -> str:
        return f"{item.product.price * item.quantity:.2f}"

    def get_availability(self, item) -> str:
        product = item.product
        if not product.is_active:
            return "archived"
        if not product.in_stock:
            return "out_of_stock"
        return "insufficient_stock" if product.available < item.quantity else "available"


class CartSerializer(serializers.Serializer):
    """The signed-in shopper's cart."""

    items = CartItemSerializer(many=True)
    total_quantity = serializers.IntegerField()
    # no max_digits: staff may price lines past what one order can hold; checkout says so, the cart shows it
    subtotal = serializers.DecimalField(max_digits=None, decimal_places=2)
    currency = serializers.CharField()


class CartItemAddSerializer(InputSerializer):
    """A product to put in the cart, and how many (1 by default)."""

    product_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, default=1)


class CartItemUpdateSerializer(InputSerializer):
    """A cart line's new quantity."""

    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
