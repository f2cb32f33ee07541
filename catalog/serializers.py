from decimal import Decimal

from rest_framework import serializers

from catalog.models import Category, Product
from luxyhome.api.serializers import InputSerializer, ValidateDataMixin

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
IMAGE_MAX_BYTES = 10 * 1024 * 1024


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class CategoryCreateSerializer(ValidateDataMixin, serializers.ModelSerializer):
    """Validates `{name, slug?}`; the unique checks name the field that clashes."""

    class Meta:
        model = Category
        fields = ["name", "slug"]
        extra_kwargs = {"slug": {"required": False}}


class ProductSerializer(serializers.ModelSerializer):
    category = CategorySerializer(allow_null=True)
    image_url = serializers.SerializerMethodField()
    in_stock = serializers.BooleanField()

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "price",
            "image_url",
            "category",
            "stock",
            "in_stock",
            "created_at",
            "updated_at",
        ]

    def get_image_url(self, product) -> str | None:
        if not product.image:
            return None
        # local media gives a path, S3 an absolute URL; build_absolute_uri keeps the latter as is
        return self.context["request"].build_absolute_uri(product.image.url)


class ProductWriteSerializer(InputSerializer):
    """A product as staff send it: JSON, or multipart with an image. `category` is a slug."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, max_length=20_000)
    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    stock = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), allow_null=True, required=False
    )
    image = serializers.ImageField(required=False, allow_null=True)

    def validate_image(self, image):
        # DRF's ImageField has already opened and verified it with Pillow
        if image is None:
            return image
        if image.size > IMAGE_MAX_BYTES:
            raise serializers.ValidationError("An image may be at most 10 MB.")
        if image.image.format not in IMAGE_FORMATS:
            raise serializers.ValidationError("Upload a JPEG, PNG or WebP image.")
        return image
