"""Shopper catalog answers come from the cache until a write, which the very next read shows."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.services import category_delete, category_update
from catalog.tests.budgets import PAGE_QUERIES
from catalog.tests.factories import CategoryFactory, ProductFactory
from catalog.tests.images import image_upload
from orders.services import order_cancel
from orders.tests.factories import place_order

pytestmark = pytest.mark.django_db


def test_list_and_detail_are_served_from_the_cache(api_client, django_assert_num_queries):
    product = ProductFactory()
    for path in ("/api/products?ordering=price", f"/api/products/{product.id}"):
        first = api_client.get(path)
        with django_assert_num_queries(0):
            second = api_client.get(path)

        assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
        assert first.content == second.content
        assert second["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("path", ["/api/products?ordering=price", "/api/products/{id}"])
def test_query_parameters_the_answer_does_not_depend_on_make_no_new_cache_entries(api_client, path):
    path = path.format(id=ProductFactory().id)
    api_client.get(path)

    junk = api_client.get(path + ("&" if "?" in path else "?") + "utm_source=a1b2c3&fbclid=x")

    assert junk["X-Cache"] == "HIT"  # the answer cached before: nothing built, nothing new kept


def test_a_visitor_with_a_staff_session_cookie_gets_the_visitors_answer(api_client, staff):
    # the API signs in with tokens only: an admin's session cookie makes nobody staff there
    archived = ProductFactory(is_active=False)
    api_client.get("/api/products")
    api_client.force_login(staff)

    answer = api_client.get("/api/products")

    assert answer["X-Cache"] == "HIT"
    assert archived.id not in [product["id"] for product in answer.json()["results"]]
    assert api_client.get(f"/api/products/{archived.id}").status_code == 404


def test_signed_in_shoppers_share_the_cache(api_client, shopper_client):
    ProductFactory()
    api_client.get("/api/products")

    assert shopper_client.get("/api/products")["X-Cache"] == "HIT"


def test_shared_answers_give_times_in_utc_whatever_zone_is_active(api_client):
    product = ProductFactory()
    with timezone.override("Asia/Tokyo"):
        created_at = api_client.get(f"/api/products/{product.id}").json()["created_at"]

    assert created_at.endswith("Z")
    assert datetime.fromisoformat(created_at) == product.created_at.astimezone(UTC)


def test_the_same_query_in_another_order_is_the_same_entry(api_client):
    ProductFactory()
    api_client.get("/api/products?ordering=price&in_stock=true")

    assert api_client.get("/api/products?in_stock=true&ordering=price")["X-Cache"] == "HIT"
    assert api_client.get("/api/products?in_stock=false&ordering=price")["X-Cache"] == "MISS"


def test_errors_are_not_cached(api_client):
    assert api_client.get("/api/products/424242").status_code == 404
    assert api_client.get("/api/products?min_price=x").status_code == 400

    product = ProductFactory(id=424242)
    assert api_client.get(f"/api/products/{product.id}").status_code == 200


def test_staff_bypass_the_cache_and_never_fill_it(api_client, staff_client):
    ProductFactory(is_active=False)

    assert [staff_client.get("/api/products")["X-Cache"] for _ in range(2)] == ["MISS", "MISS"]
    shopper_view = api_client.get("/api/products")
    assert (shopper_view["X-Cache"], shopper_view.json()["count"]) == ("MISS", 0)


@pytest.mark.django_db(transaction=True)
def test_a_staff_write_shows_on_the_very_next_read(api_client, staff_client):
    product = ProductFactory(price=Decimal("100.00"))
    detail, listing = f"/api/products/{product.id}", "/api/products"
    for path in (detail, listing):
        api_client.get(path)
        assert api_client.get(path)["X-Cache"] == "HIT"

    assert staff_client.patch(detail, {"price": "125.00"}).status_code == 200

    fresh = api_client.get(detail)
    assert (fresh["X-Cache"], fresh.json()["price"]) == ("MISS", "125.00")
    assert api_client.get(listing).json()["results"][0]["price"] == "125.00"
    assert api_client.get(detail)["X-Cache"] == "HIT"


@pytest.mark.django_db(transaction=True)
def test_archiving_hides_the_cached_product_at_once(api_client, staff_client):
    product = ProductFactory()
    api_client.get(f"/api/products/{product.id}")

    staff_client.delete(f"/api/products/{product.id}")

    assert api_client.get(f"/api/products/{product.id}").status_code == 404
    assert api_client.get("/api/products").json()["count"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_category_write_shows_on_the_next_product_read(api_client, staff_client):
    ProductFactory(category=CategoryFactory(slug="lamps"))
    api_client.get("/api/products?category=lighting")

    assert api_client.get("/api/products?category=lighting")["X-Cache"] == "HIT"

    staff_client.post("/api/categories", {"name": "Lighting"})

    assert api_client.get("/api/products?category=lighting")["X-Cache"] == "MISS"


def test_cache_outage_answers_from_the_database(api_client, redis_unreachable):
    ProductFactory(name="Brass Arc Floor Lamp")
    redis_unreachable()

    responses = [api_client.get("/api/products") for _ in range(2)]

    assert [r.status_code for r in responses] == [200, 200]
    assert [r["X-Cache"] for r in responses] == ["MISS", "MISS"]
    assert responses[1].json()["results"][0]["name"] == "Brass Arc Floor Lamp"


def test_cache_keys_include_the_host(api_client, settings):
    settings.ALLOWED_HOSTS = ["shop.luxyhome.example", "testserver"]
    ProductFactory()
    api_client.get("/api/products")

    assert api_client.get("/api/products", HTTP_HOST="shop.luxyhome.example")["X-Cache"] == "MISS"


def test_an_unchanged_answer_is_304_for_its_etag(api_client, staff_client, django_assert_num_queries):
    product = ProductFactory(price=Decimal("120.00"))
    detail = f"/api/products/{product.id}"
    for path in ("/api/products", detail):
        first = api_client.get(path)
        assert first["ETag"].startswith('"')
        with django_assert_num_queries(0):
            again = api_client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])

        assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
        assert api_client.get(path, HTTP_IF_NONE_MATCH='"something-else"').content == first.content

    etag = api_client.get(detail)["ETag"]
    staff_client.patch(detail, {"price": "125.00"})

    changed = api_client.get(detail, HTTP_IF_NONE_MATCH=etag)
    assert (changed.status_code, changed.json()["price"]) == (200, "125.00")
    assert changed["ETag"] != etag


def test_staff_answers_have_their_own_etag(api_client, staff_client):
    ProductFactory(is_active=False)
    shopper_etag = api_client.get("/api/products")["ETag"]

    staff_view = staff_client.get("/api/products", HTTP_IF_NONE_MATCH=shopper_etag)

    assert (staff_view.status_code, staff_view.json()["count"]) == (200, 1)
    assert "Authorization" in staff_view["Vary"]


def _products_built(queries) -> set[int]:
    """The products whose answers a request built: the ids of its last query, which reads them."""
    return {int(pk) for pk in re.search(r"IN \(([\d, ]+)\)", queries.captured_queries[-1]["sql"])[1].split(", ")}


@pytest.mark.django_db(transaction=True)
def test_a_list_page_builds_only_the_answers_of_changed_products(
    api_client, staff_client, django_assert_max_num_queries
):
    changed, *others = ProductFactory.create_batch(3, price=Decimal("100.00"))
    api_client.get("/api/products?ordering=price")

    assert staff_client.patch(f"/api/products/{changed.id}", {"price": "90.00"}).status_code == 200
    with django_assert_max_num_queries(PAGE_QUERIES + 1) as queries:  # the page and its count, the changed product
        results = api_client.get("/api/products?ordering=price").json()["results"]

    assert _products_built(queries) == {changed.id}
    assert [(p["id"], p["price"]) for p in results] == [(changed.id, "90.00")] + [(p.id, "100.00") for p in others]


@pytest.mark.django_db(transaction=True)
def test_list_pages_show_the_stock_an_order_takes_and_its_cancellation_gives_back(api_client, shopper):
    product = ProductFactory(stock=5)

    def stock_shown():
        return api_client.get("/api/products").json()["results"][0]["stock"]

    assert stock_shown() == 5

    order = place_order(shopper, (product, 2))
    assert stock_shown() == 3

    order_cancel(order=order)
    assert stock_shown() == 5


@pytest.mark.django_db(transaction=True)
def test_a_category_rename_or_deletion_shows_in_every_product_answer(api_client):
    lamps = CategoryFactory(name="Lamps", slug="lamps")
    ProductFactory.create_batch(2, category=lamps)

    def categories_shown():
        return [p["category"] for p in api_client.get("/api/products").json()["results"]]

    assert [category["name"] for category in categories_shown()] == ["Lamps", "Lamps"]
    category_update(category=lamps, name="Lighting")
    assert [category["name"] for category in categories_shown()] == ["Lighting", "Lighting"]
    category_delete(category=lamps)
    assert categories_shown() == [None, None]


def test_image_urls_in_list_pages_name_the_host_asked(api_client, settings):
    settings.ALLOWED_HOSTS = ["shop.example", "admin.example"]
    product = ProductFactory(image=image_upload())

    urls = [
        api_client.get("/api/products?search=walnut", HTTP_HOST=host).json()["results"][0]["image_url"]
        for host in ("shop.example", "admin.example")
    ]

    assert urls == [f"http://shop.example{product.image.url}", f"http://admin.example{product.image.url}"]
