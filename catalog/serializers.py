import re
from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.images import product_image_clean
from catalog.models import MAX_STOCK, Category, Product
from luxyhome.api.serializers import InputSerializer, ModelSerializer, ValidateDataMixin

IMAGE_MEDIA_TYPES = "image/jpeg, image/png, image/webp"  # the formats catalog.images accepts
# 0.01 to 99999999.99, at most two places, no sign, exponent or padding: what the schema promises
PRICE = re.compile(r"^(?:[1-9]\d{0,7}(?:\.\d{1,2})?|0\.(?:0[1-9]|[1-9]\d?))$")
SLUG = re.compile(r"^[-a-zA-Z0-9_]*$")  # empty: no category
CATEGORY_SLUG = {
    "type": "string",
    "maxLength": 120,
    "pattern": SLUG.pattern,
    "description": "A category's slug; empty for none.",
}


@extend_schema_field({"type": "string", "format": "decimal", "pattern": PRICE.pattern, "example": "4200.00"})
class PriceField(serializers.DecimalField):
    """Money as the contract writes it: a decimal string, "4200.00"; never a float."""

    default_error_messages = {"invalid": 'Use a decimal string from "0.01" to "99999999.99", such as "4200.00".'}

    def __init__(self, **kwargs):
        super().__init__(max_digits=10, decimal_places=2, min_value=Decimal("0.01"), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not PRICE.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({**CATEGORY_SLUG, "nullable": True, "description": "A category's slug; null or empty for none."})
class CategorySlugField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", queryset=Category.objects.all(), allow_null=True, **kwargs)

    def to_internal_value(self, data):
        # what no slug can be needs no database (which answers a NUL with a 500); nor an echo of it
        if isinstance(data, str) and not SLUG.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(CATEGORY_SLUG)
class FormCategorySlugField(CategorySlugField):
    """In a form, where nothing is null, an empty value is no category (RelatedField reads "" as null)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.allow_null = False  # for the schema: a form field has no null to send


class CategorySerializer(ModelSerializer):
    """A category: products are filed under one, or none."""

    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class CategoryCreateSerializer(ValidateDataMixin, ModelSerializer):
    """Validates `{name, slug?}`; the unique checks name the field that clashes."""

    class Meta:
        model = Category
        fields = ["name", "slug"]
        extra_kwargs = {"slug": {"required": False}}


class ProductSerializer(ModelSerializer):
    """A product as the shop shows it."""

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


class ProductStockSerializer(ModelSerializer):
    """What a product's socket hears when it changes: its price and what is left."""

    in_stock = serializers.BooleanField()

    class Meta:
        model = Product
        fields = ["id", "price", "stock", "in_stock"]


class ProductWriteSerializer(InputSerializer):
    """A product as staff send it: JSON, or multipart with an image. `category` is a slug."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, max_length=20_000)
    price = PriceField()
    stock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK, required=False)
    category = CategorySlugField(required=False)
    # a file of any name: what it is decides (catalog.images), and it is stored under that format's extension
    image = serializers.FileField(required=False, allow_null=True)

    def validate_image(self, image):
        # what is stored is the rule's re-encoded file, never the upload as sent
        return None if image is None else product_image_clean(image)


class ProductWriteJSONSerializer(ProductWriteSerializer):
    """A product as staff send it in JSON. `category` is a slug; upload an image with multipart."""

    image = None  # the schema's JSON body: a file travels only in multipart


class ProductWriteMultipartSerializer(ProductWriteSerializer):
    """A product as staff send it as multipart/form-data: the fields as form fields, `image` a file part."""

    category = FormCategorySlugField(required=False)
    image = serializers.FileField(
        required=False,
        help_text="A JPEG, PNG or WebP image of at most 10 MB and 40 megapixels. It is stored re-encoded, "
        "without its metadata (EXIF, GPS), under the extension of the format it is.",
    )
