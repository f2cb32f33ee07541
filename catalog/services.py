"""Every catalog write: categories and products, for the API, the admin and seed_demo alike.

Each write retires the cached catalog answers, so the next read shows it.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog.cache import catalog_changed
from catalog.models import Category, Product, SearchWord
from catalog.realtime import PUSHED_FIELDS, products_updated_send


def _unique_slug(model: type[models.Model], text: str, *, fallback: str) -> str:
    """A slug for `text` that no row of `model` uses yet: "velvet-sofa", "velvet-sofa-2", ..."""
    max_length = model._meta.get_field("slug").max_length - 8  # room for the "-N" suffix
    base = slugify(text)[:max_length].strip("-") or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _create_with_unique_slug(model: type[models.Model], *, slug: str | None, fallback: str, **fields):
    """Insert a row with a free slug (made from its name unless given), retrying when a racing
    insert takes that slug first. Raises ValidationError naming the unique field that clashes."""
    for _ in range(3):
        candidate = slug or _unique_slug(model, fields["name"], fallback=fallback)
        try:
            with transaction.atomic():
                return model.objects.create(slug=candidate, **fields)
        except IntegrityError:
            clash = _unique_clash(model, slug=candidate, **fields)
            if clash is None:
                raise  # not a uniqueness clash: a broken check is a bug, not a client error
            if clash != "slug" or slug:
                raise ValidationError({clash: [f"A {model._meta.verbose_name} with this {clash} exists."]}) from None
    raise ValidationError({"name": ["Could not find a free slug for this name; try again."]})


def _unique_clash(model: type[models.Model], **values) -> str | None:
    """Which unique field of `values` another row already holds."""
    unique = [field for field in values if model._meta.get_field(field).unique]
    return next((field for field in unique if model.objects.filter(**{field: values[field]}).exists()), None)


@transaction.atomic
def category_create(*, name: str, slug: str | None = None) -> Category:
    """Create a category; the slug comes from the name when not given."""
    category = _create_with_unique_slug(Category, name=name, slug=slug, fallback="category")
    catalog_changed(searchable=False)
    return category


@transaction.atomic
def category_update(*, category: Category, **changes) -> Category:
    for field, value in changes.items():
        setattr(category, field, value)
    category.save(update_fields=list(changes))
    # its products' answers show it, and are cached under their updated_at (catalog.cache)
    category.products.update(updated_at=timezone.now())
    catalog_changed(searchable=False)
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    """Delete a category; its products stay, without a category."""
    category.delete()
    catalog_changed(searchable=False)


@transaction.atomic
def product_create(*, name: str, price, **fields) -> Product:
    """Create a product with a unique slug made from its name."""
    product = _create_with_unique_slug(Product, name=name, price=price, slug=None, fallback="product", **fields)
    search_words_add(names=[name])
    catalog_changed()
    return product


@transaction.atomic
def product_update(*, product: Product, **changes) -> Product:
    """Change the given fields only (the slug stays, so links to it keep working).

    Writing just these columns keeps a stock taken by a checkout meanwhile from being overwritten.
    """
    for field, value in changes.items():
        setattr(product, field, value)
    product.save(update_fields=[*changes, "updated_at"])
    if "name" in changes:
        search_words_add(names=[product.name])
    catalog_changed()
    if changes.keys() & PUSHED_FIELDS:
        products_updated_send(products=[product])
    return product


def product_archive(*, product: Product) -> Product:
    """Hide a product from shoppers; it stays for the orders that reference it."""
    return product_update(product=product, is_active=False)


@transaction.atomic
def products_set_active(*, products: models.QuerySet, active: bool) -> int:
    """Archive or restore many products at once (admin actions); returns how many changed."""
    changed_ids = list(products.exclude(is_active=active).values_list("pk", flat=True))
    Product.objects.filter(pk__in=changed_ids).update(is_active=active)
    catalog_changed()
    products_updated_send(products=Product.objects.filter(pk__in=changed_ids))
    return len(changed_ids)


def search_words_add(*, names: Iterable[str]) -> None:
    """Add the words of these product names to the search vocabulary (models.SearchWord)."""
    words = {word for name in names for word in SearchWord.words_in(name)}
    SearchWord.objects.bulk_create([SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True)
