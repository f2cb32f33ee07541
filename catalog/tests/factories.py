from decimal import Decimal

import factory

from catalog.models import Category, Product


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Collection {n}")
    slug = factory.Sequence(lambda n: f"collection-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Walnut Side Table {n}")
    slug = factory.Sequence(lambda n: f"walnut-side-table-{n}")
    description = "Solid walnut, oiled by hand."
    price = Decimal("450.00")
    stock = 5
    category = factory.SubFactory(CategoryFactory)
