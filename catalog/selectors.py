"""Catalog reads: which products a user may see, and product search.

product_search is the only code that knows the database vendor.
"""

import hashlib

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import FloatField, Q, QuerySet
from django.db.models.expressions import OrderBy, RawSQL

from catalog.cache import SEARCHABLE_VERSION
from catalog.models import Product, SearchWord
from luxyhome.cache import lookup, store

# the top of name_position's range, 0 .. 2**52, where migration 0004 places products: a float8 (what
# RUM's distances are) holds every integer up to it
NAME_POSITIONS = 2**52
# RUM's distance from 0 ascends with name_position; from the top of its range it descends
_BY_NAME_POSITION = {
    "name": RawSQL("name_position <=> 0", [], output_field=FloatField()).asc(),
    "-name": RawSQL(f"name_position <=| {NAME_POSITIONS}", [], output_field=FloatField()).asc(),
}


def products_visible_to(user) -> QuerySet[Product]:
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


def search_ordering(ordering: list[str]) -> list[str | OrderBy]:
    """`ordering` (fields, "-" for descending, the id last to break ties) as a search orders by it.

    On PostgreSQL a search by name takes its matches from a RUM index in name order (migration
    0004), so a page reads its own rows, not every match's: 2 ms for a common word at 100,000
    products against 8 ms. name_position orders products as (name, id) does, so nothing after it
    can change the order; it is alone in the ORDER BY, which is what lets the index serve it.
    """
    if connection.vendor != "postgresql" or ordering[0] not in _BY_NAME_POSITION:
        return ordering
    return [_BY_NAME_POSITION[ordering[0]]]


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
