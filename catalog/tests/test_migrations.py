"""The catalog's migrations on PostgreSQL: a database that ran the old 0004 ends where a fresh one does."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db

# what the old 0004 left (without its RUM index: rum may not be installed here)
OLD_SEARCH_BY_NAME = [
    "ALTER TABLE catalog_product ADD COLUMN name_position bigint",
    "CREATE INDEX catalog_product_name_id ON catalog_product (name, id)",
    """
    CREATE FUNCTION catalog_product_place_by_name() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RETURN NEW; END $$
    """,
    """
    CREATE TRIGGER catalog_product_placed_by_name BEFORE INSERT ON catalog_product
    FOR EACH ROW EXECUTE FUNCTION catalog_product_place_by_name()
    """,
]


def migrate(target: str) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("catalog", target)])


def test_0006_drops_what_the_old_0004_made(postgresql):
    migrate("0005_stock_limit")
    with connection.cursor() as cursor:
        for statement in OLD_SEARCH_BY_NAME:
            cursor.execute(statement)

    migrate("0006_search_without_rum")

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (SELECT count(*) FROM information_schema.columns
                    WHERE table_name = 'catalog_product' AND column_name = 'name_position'),
                   (SELECT count(*) FROM pg_indexes WHERE indexname = 'catalog_product_name_id'),
                   (SELECT count(*) FROM pg_trigger WHERE tgname = 'catalog_product_placed_by_name'),
                   (SELECT count(*) FROM pg_proc WHERE proname = 'catalog_product_place_by_name')
            """
        )
        assert cursor.fetchone() == (0, 0, 0, 0)
