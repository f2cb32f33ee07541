"""Catalog reads: which products a user may see, and product search.

product_search is the only code that knows the database vendor.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField, TrigramWordSimilarity
from django.db import connection
from django.db.models import Q, QuerySet
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
    # unqualified: in each query it names the column of that query's own product table
    vector = RawSQL("search_vector", [], output_field=SearchVectorField())
    # the ids matching either way, each found through its own GIN index (an OR of the two
    # conditions on the outer query would make PostgreSQL scan the table)
    words = Product.objects.annotate(search_vector=vector).filter(search_vector=query).values("pk")
    typos = Product.objects.filter(name__trigram_word_similar=text).values("pk")
    return (
        products.filter(pk__in=words.union(typos))
        .annotate(rank=SearchRank(vector, query), similarity=TrigramWordSimilarity(text, "name"))
        .order_by("-rank", "-similarity", "-id")
    )
