"""Catalog reads: which products a user may see, and product search.

product_search is the only code that knows the database vendor.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from catalog.models import Product


def products_visible_to(user) -> QuerySet[Product]:
    """Staff see every product, archived ones too; shoppers and visitors only active ones."""
    products = Product.objects.select_related("category")
    return products if user.is_staff else products.active()


def product_search(products: QuerySet[Product], text: str) -> QuerySet[Product]:
    """The products matching `text`, best match first.

    PostgreSQL: full-text search over the name (weighted higher) and the description, ranked,
    or'ed with trigram word similarity on the name so a typo still finds it ("velvt" -> Velvet);
    both are GIN-indexed (migration 0002). Elsewhere: a case-insensitive contains.
    """
    if connection.vendor != "postgresql":
        return products.filter(Q(name__icontains=text) | Q(description__icontains=text))
    query = SearchQuery(text, search_type="websearch", config="english")
    vector = RawSQL("catalog_product.search_vector", [], output_field=SearchVectorField())
    return (
        products.annotate(search_vector=vector)
        .filter(Q(search_vector=query) | Q(name__trigram_word_similar=text))
        .annotate(rank=SearchRank(F("search_vector"), query), similarity=TrigramWordSimilarity(text, "name"))
        .order_by("-rank", "-similarity", "-id")
    )
