"""Catalog reads: which products a user may see, and product search.

product_search is the only code that knows the database vendor.
"""

import hashlib

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import Concat

from catalog.cache import SEARCHABLE_VERSION
from catalog.models import Product, SearchWord
from luxyhome.cache import lookup, store


def product_list(*, user) -> QuerySet[Product]:
    """Staff see every product, archived ones too; shoppers and visitors only active ones."""
    products = Product.objects.select_related("category")
    return products if user.is_staff else products.active()


def product_search(products: QuerySet[Product], text: str) -> QuerySet[Product]:
    """The products matching `text`, best match first.

    PostgreSQL: full-text search over the name (weighted higher) and the description, ranked,
    through a GIN index (migration 0002). When the words as typed find no product for sale, each
    word is replaced by the nearest word of the catalog's vocabulary, so a typo still finds what it
    meant ("velvt" -> velvet): the pg_trgm "did you mean" recipe (migration 0003). Elsewhere: a
    case-insensitive contains.
    """
    if connection.vendor != "postgresql":
        return products.filter(Q(name__icontains=text) | Q(description__icontains=text))
    return _full_text_search(products, _words_to_search(text))


def search_ordering(field: str) -> str | OrderBy:
    """How a search orders its matches by `field` (a model field, "-" for descending).

    By name, it sorts its matches: names cluster (every "Woven …" together), so walking the name
    index until a page of matches turns up can cross most of the catalog. Sorting the matches the
    GIN index found costs what their number costs. By price or date, the walk stays the planner's
    choice: there it turned up a page sooner than the sort (bench/README.md).
    """
    if field.lstrip("-") != "name":
        return field
    name = Concat("name", Value(""))  # the name, in its collation: an expression the name index cannot serve
    return name.desc() if field.startswith("-") else name.asc()


def _full_text_search(products: QuerySet[Product], text: str) -> QuerySet[Product]:
    query = SearchQuery(text, search_type="websearch", config="english")
    # unqualified: the generated column is not a model field (migration 0002)
    vector = RawSQL("search_vector", [], output_field=SearchVectorField())
    return (
        products.alias(search_vector=vector, rank=SearchRank(vector, query))
        .filter(search_vector=query)
        .order_by("-rank", "-id")
    )


def _words_to_search(text: str) -> str:
    """`text` if its words find some product for sale, else its typos corrected. Worked out once
    for each text until some product's words change, not for every request: the filters and the
    page don't change it."""
    found = lookup(f"search-words:{hashlib.sha256(text.encode()).hexdigest()}", SEARCHABLE_VERSION)
    if found.value is None:
        words = text if _full_text_search(Product.objects.active(), text).exists() else _nearest_words(text)
        store(found, words)
        return words
    return found.value


def _nearest_words(text: str) -> str:
    """`text` with each word the vocabulary does not hold replaced by its nearest one there, if
    any is similar enough (pg_trgm.similarity_threshold); in one query."""
    words = SearchWord.words_in(text)
    if not words:
        return text
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (typed) typed, word
            FROM unnest(%s::text[]) AS typed
            JOIN catalog_searchword ON word %% typed
            ORDER BY typed, similarity(word, typed) DESC, word
            """,
            [words],
        )
        nearest = dict(cursor.fetchall())
    return " ".join(nearest.get(word, word) for word in words)
