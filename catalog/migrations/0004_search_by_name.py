"""Searches ordered by name read a page's worth of rows, not every match (PostgreSQL only).

A word's matches cannot come out of the GIN index in name order, so ordering them by name meant
reading every match's row and sorting them: at 100,000 products a common word's 6,000 rows for a
page of 20. A RUM index (the `rum` extension) keeps, with each word's entries, a number to order
them by; name_position is that number for the name: each product's place in (name, id) order.

A trigger places a new or renamed product midway between its neighbours' positions, in
0 .. 2**52 (exact as a float, as RUM's distances are). When two neighbours have no integer left
between them, the products nearest that place are spread evenly first, as few as leave each at
least MIN_GAP. The trigger takes an advisory lock, so two writers never place products between
the same two neighbours at once (each would miss the other's, not yet committed).
name_position is not a model field: only this trigger writes it and only
catalog.selectors.search_ordering reads it.
"""

from django.db import migrations

from catalog.migrations._postgresql import run_on_postgresql

SPAN = 2**52
MIN_GAP = 2**10  # a renumbered neighbourhood leaves room for ten more products at any place

FORWARD = [
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'rum') THEN
            RAISE EXCEPTION USING MESSAGE = 'Luxyhome needs the PostgreSQL extension rum: on Debian or Ubuntu, '
                'apt-get install postgresql-' || current_setting('server_version_num')::int / 10000 || '-rum '
                '(README: Running against PostgreSQL and Redis)';
        END IF;
    END $$
    """,
    "CREATE EXTENSION IF NOT EXISTS rum",
    "ALTER TABLE catalog_product ADD COLUMN name_position bigint",
    "CREATE INDEX catalog_product_name_id ON catalog_product (name, id)",
    """
    CREATE FUNCTION catalog_product_position_near(place_name text, place_id bigint, direction int, skipped int)
    RETURNS bigint LANGUAGE sql STABLE AS $$
        -- the position of the product `skipped` + 1 places before (direction < 0) or after that place
        SELECT CASE WHEN direction < 0 THEN
            (SELECT p.name_position FROM catalog_product AS p
             WHERE (p.name, p.id) < (place_name, place_id) AND p.id <> place_id
             ORDER BY p.name DESC, p.id DESC OFFSET skipped LIMIT 1)
        ELSE
            (SELECT p.name_position FROM catalog_product AS p
             WHERE (p.name, p.id) > (place_name, place_id) AND p.id <> place_id
             ORDER BY p.name, p.id OFFSET skipped LIMIT 1)
        END
    $$
    """,
    """
    CREATE FUNCTION catalog_product_spread(products bigint[], low bigint, high bigint) RETURNS void LANGUAGE sql AS $$
        -- `products` numbered evenly between low and high in (name, id) order, locked first in id order
        -- as checkouts lock products (orders.services), so neither waits on the other in a circle
        SELECT FROM catalog_product WHERE id = ANY(products) ORDER BY id FOR UPDATE;
        UPDATE catalog_product SET name_position = low + spread.place * ((high - low) / (spread.count + 1))
        FROM (
            SELECT id, row_number() OVER (ORDER BY name, id) AS place, count(*) OVER () AS count
            FROM catalog_product WHERE id = ANY(products)
        ) AS spread
        WHERE catalog_product.id = spread.id;
    $$
    """,
    f"""
    CREATE FUNCTION catalog_product_place_by_name() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        before bigint;
        after bigint;
        low bigint;
        high bigint;
        reach int := 8;
    BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('catalog_product.name_position'));
        FOR attempt IN 1..2 LOOP
            before := coalesce(catalog_product_position_near(NEW.name, NEW.id, -1, 0), 0);
            after := coalesce(catalog_product_position_near(NEW.name, NEW.id, 1, 0), {SPAN});
            IF after - before >= 2 THEN
                NEW.name_position := before + (after - before) / 2;
                RETURN NEW;
            END IF;
            -- no room: the nearest `reach` products on each side are spread evenly over the positions
            -- between their outer neighbours, `reach` doubling until each gets MIN_GAP
            LOOP
                low := coalesce(catalog_product_position_near(NEW.name, NEW.id, -1, reach), 0);
                high := coalesce(catalog_product_position_near(NEW.name, NEW.id, 1, reach), {SPAN});
                EXIT WHEN (high - low) / (2 * reach + 1) >= {MIN_GAP};
                reach := reach * 2;
            END LOOP;
            PERFORM catalog_product_spread(ARRAY(
                (SELECT p.id FROM catalog_product AS p WHERE (p.name, p.id) < (NEW.name, NEW.id) AND p.id <> NEW.id
                 ORDER BY p.name DESC, p.id DESC LIMIT reach)
                UNION ALL
                (SELECT p.id FROM catalog_product AS p WHERE (p.name, p.id) > (NEW.name, NEW.id) AND p.id <> NEW.id
                 ORDER BY p.name, p.id LIMIT reach)
            ), low, high);
        END LOOP;
        -- a spread always leaves room: positions out of (name, id) order are a bug, not to be spun on
        RAISE EXCEPTION USING MESSAGE = 'catalog_product.name_position: no room for ' || quote_literal(NEW.name);
    END
    $$
    """,
    """
    CREATE TRIGGER catalog_product_placed_by_name BEFORE INSERT ON catalog_product
    FOR EACH ROW EXECUTE FUNCTION catalog_product_place_by_name()
    """,
    """
    CREATE TRIGGER catalog_product_renamed BEFORE UPDATE OF name ON catalog_product
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION catalog_product_place_by_name()
    """,
    f"SELECT catalog_product_spread(ARRAY(SELECT id FROM catalog_product), 0, {SPAN})",  # the products already there
    "ALTER TABLE catalog_product ALTER COLUMN name_position SET NOT NULL",
    """
    CREATE INDEX catalog_product_search_by_name ON catalog_product
    USING rum (search_vector rum_tsvector_addon_ops, name_position)
    WITH (attach = 'name_position', to = 'search_vector')
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalog_product_search_by_name",
    "DROP TRIGGER IF EXISTS catalog_product_renamed ON catalog_product",
    "DROP TRIGGER IF EXISTS catalog_product_placed_by_name ON catalog_product",
    "DROP FUNCTION IF EXISTS catalog_product_place_by_name()",
    "DROP FUNCTION IF EXISTS catalog_product_spread(bigint[], bigint, bigint)",
    "DROP FUNCTION IF EXISTS catalog_product_position_near(text, bigint, int, int)",
    "DROP INDEX IF EXISTS catalog_product_name_id",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS name_position",
    "DROP EXTENSION IF EXISTS rum",
]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_words")]

    operations = [migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD))]
