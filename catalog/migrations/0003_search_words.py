"""The search vocabulary for typo tolerance, and planner statistics that know every word.

On PostgreSQL: a trigram index finds the vocabulary words nearest a mistyped one, and the
search_vector column keeps statistics on up to 10,000 words (1,000 × 10, PostgreSQL's rule), so
the planner knows how many products a word matches: for a rare or unknown word it takes the
GIN index, for a common one it can walk the ordering's index and stop after a page.
"""

import re

from django.db import migrations, models

from catalog.migrations._postgresql import run_on_postgresql

FORWARD = [
    "CREATE INDEX catalog_searchword_trgm ON catalog_searchword USING gin (word gin_trgm_ops)",
    "ALTER TABLE catalog_product ALTER COLUMN search_vector SET STATISTICS 1000",
    "ANALYZE catalog_product",
]
BACKWARD = [
    "ALTER TABLE catalog_product ALTER COLUMN search_vector SET STATISTICS -1",
    "DROP INDEX IF EXISTS catalog_searchword_trgm",
]


def fill_vocabulary(apps, schema_editor):
    """The words of the names already in the catalog (the rule of SearchWord.words_in, as of now)."""
    Product, SearchWord = apps.get_model("catalog", "Product"), apps.get_model("catalog", "SearchWord")
    words = set()
    for name in Product.objects.values_list("name", flat=True).iterator(chunk_size=2000):
        words.update(word for word in re.findall(r"[^\W_]+", name.lower()) if len(word) >= 3)
    SearchWord.objects.bulk_create([SearchWord(word=word) for word in sorted(words)], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_postgres_search")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.CharField(max_length=200, primary_key=True, serialize=False))],
        ),
        migrations.RunPython(fill_vocabulary, migrations.RunPython.noop),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
