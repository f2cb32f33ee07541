"""PostgreSQL full-text and typo-tolerant search over products (nothing on other databases).

search_vector is a stored generated column the ORM never writes, so every insert, update
and bulk insert keeps it current; catalog.selectors.product_search is its only reader.
"""

from django.db import migrations

from catalog.migrations._postgresql import run_on_postgresql

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE catalog_product ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
    ) STORED
    """,
    "CREATE INDEX catalog_product_search ON catalog_product USING gin (search_vector)",
    "CREATE INDEX catalog_product_name_trgm ON catalog_product USING gin (name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalog_product_name_trgm",
    "DROP INDEX IF EXISTS catalog_product_search",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
