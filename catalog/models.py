import re
import uuid
from pathlib import Path

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# units of one product at most: far below the column's 2**31, so stock given back by cancelled orders
# (at most what they took) can never overflow it
MAX_STOCK = 1_000_000


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


def product_image_path(product, filename: str) -> str:
    # a fresh name per upload: no two products, nor two versions of one, share a file; the
    # extension is the one catalog.images named the re-encoded file with, not the client's
    return f"products/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def _available(quantity: int) -> Q:
    """Products a shopper can buy `quantity` of now: for sale, with that much stock (Product.available)."""
    return Q(is_active=True, stock__gte=quantity)


class ProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def available(self, quantity: int):
        """Those a shopper can buy `quantity` of now."""
        return self.filter(_available(quantity))

    def in_stock(self):
        return self.filter(_available(1))

    def sold_out(self):
        """Archived, or for sale with no stock: nothing to buy."""
        return self.exclude(_available(1))


class Product(models.Model):
    """Something the shop sells. Archived products (is_active off) stay for order history."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    image = models.ImageField(upload_to=product_image_path, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    stock = models.IntegerField(default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_STOCK)])
    is_active = models.BooleanField(default=True, help_text="Off: archived, hidden from shoppers.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="catalog_product_price_positive"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="catalog_product_stock_not_negative"),
        ]
        indexes = [
            # the shopper list: active products, newest first or by price/name, optionally per category
            models.Index(fields=["is_active", "-created_at", "-id"], name="catalog_product_active_new"),
            models.Index(fields=["is_active", "price", "id"], name="catalog_product_active_price"),
            models.Index(fields=["is_active", "name", "id"], name="catalog_product_active_name"),
            models.Index(fields=["category", "is_active", "-created_at"], name="catalog_product_category"),
        ]

    def __str__(self):
        return self.name

    @property
    def available(self) -> int:
        """How many a shopper can buy now: the stock while the product is for sale, none once archived."""
        return self.stock if self.is_active else 0

    @property
    def in_stock(self) -> bool:
        return self.available > 0


class SearchWord(models.Model):
    """A word of some product's name (lower case): what a mistyped search word is corrected to.

    The catalog's vocabulary for typo tolerance (catalog.selectors.product_search). Words stay when
    a product is renamed or archived: a stale word only ever corrects a typo to a word that finds
    nothing, as the typo itself would.
    """

    MIN_LENGTH = 3  # shorter words have too many near neighbours to be corrected

    word = models.CharField(max_length=200, primary_key=True)

    def __str__(self):
        return self.word

    @classmethod
    def words_in(cls, text: str) -> list[str]:
        """The words of `text` the vocabulary holds or corrects to, lower case, in order."""
        return [word for word in re.findall(r"[^\W_]+", text.lower()) if len(word) >= cls.MIN_LENGTH]
