"""Drops what the old migration 0004 made for searches ordered by name (PostgreSQL only).

A database migrated before 0004 became a no-op still has the RUM index, the name_position column,
its triggers and functions, the (name, id) index they used and the rum extension; a fresh one has
none of them, so every statement is IF EXISTS and both end at the same schema. A search ordered by
name sorts its matches by (name, id) like any other ordering; the shopper list ordered by name
walks the model's index catalog_product_active_name.
"""

from django.db import migrations

from catalog.migrations._postgresql import run_on_postgresql

FORWARD = [
    "DROP INDEX IF EXISTS catalog_product_search_by_name",
    "DROP TRIGGER IF EXISTS catalog_product_renamed ON catalog_product",
    "DROP TRIGGER IF EXISTS catalog_product_placed_by_name ON catalog_product",
    "DROP FUNCTION IF EXISTS catalog_product_place_by_name()",
    "DROP FUNCTION IF EXISTS catalog_product_spread(bigint[], bigint, bigint)",
    "DROP FUNCTION IF EXISTS catalog_product_position_near(text, bigint, int, int)",
    "DROP INDEX IF EXISTS catalog_product_name_id",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS name_position",
    # no CASCADE: should anything else use rum, this stops instead of dropping it
    "DROP EXTENSION IF EXISTS rum",
]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_stock_limit")]

    # backwards nothing comes back: 0004 no longer makes any of it
    operations = [migrations.RunPython(run_on_postgresql(FORWARD), migrations.RunPython.noop)]
