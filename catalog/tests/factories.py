from decimal import Decimal

import factory

from catalog.models import Category, Product
from catalog.services import search_words_add


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Collection {n}")
    slug = factory.Sequence(lambda n: f"collection-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Walnut Side Table {n}")
    slug = factory.Sequence(lambda n: f"walnut-side-table-{n}")
    description = "Solid walnut, oiled by hand."
    price = Decimal("450.00")
    stock = 5
    category = factory.SubFactory(CategoryFactory)

    @factory.post_generation
    def search_words(product, create, extracted, **kwargs):
        """The vocabulary the services keep (catalog.services.search_words_add), which typo search reads."""
        if create:
            search_words_add(names=[product.name])
