"""The orders contract: placing from the cart, listing, reading, cancelling, idempotency."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from cart.models import CartItem
from cart.tests.factories import fill_cart
from catalog.tests.factories import ProductFactory
from orders.models import Order
from orders.tests.factories import SHIPPING_ADDRESS, place_order

pytestmark = pytest.mark.django_db

ORDERS = "/api/orders"


def place(client, address=SHIPPING_ADDRESS, **headers):
    return client.post(ORDERS, {"shipping_address": address}, **headers)


def test_place_order_from_the_cart(shopper_client, shopper, sofa, lamp, shipping_address):
    fill_cart(shopper, (sofa, 1), (lamp, 2))
    del shipping_address["line2"], shipping_address["phone"]  # optional: stored blank

    response = place(shopper_client, {**shipping_address, "country": "gb"})  # stored upper-case

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "number",
        "status",
        "payment_status",
        "expires_at",
        "items",
        "total",
        "currency",
        "shipping_address",
        "created_at",
        "updated_at",
    }
    assert body["number"] == f"LXH-{body['id']:06d}"
    assert (body["status"], body["payment_status"]) == ("pending", "unpaid")
    assert (body["total"], body["currency"]) == ("7981.00", "USD")
    expires_after = datetime.fromisoformat(body["expires_at"]) - datetime.fromisoformat(body["created_at"])
    assert expires_after == timedelta(minutes=30)
    assert body["shipping_address"] == {**shipping_address, "line2": "", "phone": ""}
    assert [
        (i["product_id"], i["product_name"], i["unit_price"], i["quantity"], i["line_total"]) for i in body["items"]
    ] == [
        (sofa.id, "Emerald Velvet Sofa", "4200.00", 1, "4200.00"),
        (lamp.id, "Brass Arc Floor Lamp", "1890.50", 2, "3781.00"),
    ]
    assert "no-store" in response["Cache-Control"]
    sofa.refresh_from_db()
    lamp.refresh_from_db()
    assert (sofa.stock, lamp.stock) == (2, 8)
    assert not CartItem.objects.exists()
    assert shopper_client.get("/api/cart").json()["items"] == []


def test_prices_sent_by_the_client_are_ignored(shopper_client, shopper, sofa, shipping_address):
    fill_cart(shopper, (sofa, 1))

    response = shopper_client.post(
        ORDERS,
        {
            "shipping_address": shipping_address,
            "total": "1.00",
            "items": [{"product_id": sofa.id, "unit_price": "1.00"}],
        },
    )

    assert response.json()["total"] == "4200.00"


def test_order_keeps_the_price_it_was_placed_at(shopper_client, shopper, sofa):
    from catalog.services import product_update

    fill_cart(shopper, (sofa, 1))
    order_id = place(shopper_client).json()["id"]

    product_update(product=sofa, price=Decimal("9999.00"), name="Renamed Sofa")

    item = shopper_client.get(f"{ORDERS}/{order_id}").json()["items"][0]
    assert (item["unit_price"], item["product_name"]) == ("4200.00", "Emerald Velvet Sofa")


def test_empty_cart_is_400(shopper_client):
    response = place(shopper_client)

    assert response.status_code == 400
    assert response.json()["code"] == "cart_empty"
    assert not Order.objects.exists()


def test_short_stock_is_409_naming_every_short_product_and_changes_nothing(shopper_client, shopper, sofa, lamp):
    chair = ProductFactory(name="Oak Chair", stock=5)
    fill_cart(shopper, (sofa, 3), (lamp, 11), (chair, 2))
    from catalog.services import product_archive, product_update

    product_update(product=sofa, stock=1)
    product_archive(product=chair)

    response = place(shopper_client)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert sorted(body["shortages"], key=lambda s: s["product_id"]) == [
        {"product_id": sofa.id, "name": "Emerald Velvet Sofa", "requested": 3, "available": 1},
        {"product_id": lamp.id, "name": "Brass Arc Floor Lamp", "requested": 11, "available": 10},
        {"product_id": chair.id, "name": "Oak Chair", "requested": 2, "available": 0},
    ]
    assert [p.stock for p in (sofa, lamp, chair) if not p.refresh_from_db()] == [1, 10, 5]
    assert CartItem.objects.count() == 3
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("address", "field"),
    [
        ({**SHIPPING_ADDRESS, "full_name": ""}, "shipping_address.full_name"),
        ({key: value for key, value in SHIPPING_ADDRESS.items() if key != "city"}, "shipping_address.city"),
        ({**SHIPPING_ADDRESS, "country": "Great Britain"}, "shipping_address.country"),
        ({**SHIPPING_ADDRESS, "phone": "call me maybe"}, "shipping_address.phone"),
        ({**SHIPPING_ADDRESS, "postal_code": "x" * 21}, "shipping_address.postal_code"),
        ("12 Mayfair Row", "shipping_address.non_field_errors"),
    ],
)
def test_bad_address_is_400_naming_the_field(shopper_client, shopper, sofa, address, field):
    fill_cart(shopper, (sofa, 1))

    response = place(shopper_client, address)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Order.objects.exists()


def test_missing_address_is_400(shopper_client):
    response = shopper_client.post(ORDERS, {})

    assert list(response.json()["errors"]) == ["shipping_address"]


def test_list_own_orders_newest_first(shopper_client, shopper, client_for, sofa, lamp):
    fill_cart(shopper, (sofa, 1))
    first = place(shopper_client).json()["id"]
    fill_cart(shopper, (lamp, 1))
    second = place(shopper_client).json()["id"]
    stranger = UserFactory()
    fill_cart(stranger, (lamp, 1))
    place(client_for(stranger))

    body = shopper_client.get(ORDERS).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert [order["id"] for order in body["results"]] == [second, first]


def test_order_list_queries_do_not_grow_with_orders_or_items(
    shopper_client, shopper, django_assert_max_num_queries, settings
):
    settings.MAX_PENDING_ORDERS = 12
    products = ProductFactory.create_batch(4, stock=100)
    for _ in range(12):
        fill_cart(shopper, *[(product, 2) for product in products])
        place(shopper_client)

    with django_assert_max_num_queries(4):  # user, count, page, items
        response = shopper_client.get(f"{ORDERS}?page_size=100")

    assert len(response.json()["results"]) == 12
    assert all(len(order["items"]) == 4 for order in response.json()["results"])


def test_order_detail_query_budget(shopper_client, shopper, sofa, django_assert_max_num_queries):
    fill_cart(shopper, (sofa, 1))
    order_id = place(shopper_client).json()["id"]

    with django_assert_max_num_queries(3):  # user, order, items
        assert shopper_client.get(f"{ORDERS}/{order_id}").status_code == 200


def test_checkout_query_budget_is_two_per_line_plus_a_constant(
    shopper_client, shopper, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for _ in range(3):  # earlier orders cost nothing
        place_order(shopper)
    Order.objects.update(status="paid", payment_status="paid")
    products = ProductFactory.create_batch(10, stock=5)
    fill_cart(shopper, *[(product, 1) for product in products])

    # the commit's callbacks count too: with no broker (make run) the e-mail's task runs in the request,
    # and the emptied cart's span ends (analytics)
    with django_assert_max_num_queries(2 * 10 + 13), django_capture_on_commit_callbacks(execute=True):
        response = place(shopper_client, HTTP_IDEMPOTENCY_KEY="budget-1")

    assert response.status_code == 201


def test_another_shoppers_order_is_404(shopper_client, client_for, sofa):
    stranger = UserFactory()
    fill_cart(stranger, (sofa, 1))
    order_id = place(client_for(stranger)).json()["id"]

    assert shopper_client.get(f"{ORDERS}/{order_id}").status_code == 404
    assert shopper_client.post(f"{ORDERS}/{order_id}/cancel").status_code == 404
    assert Order.objects.get().status == "pending"


def test_orders_need_a_signed_in_shopper(api_client):
    assert api_client.get(ORDERS).status_code == 401
    assert place(api_client).status_code == 401
    assert api_client.post(f"{ORDERS}/1/cancel").status_code == 401


def test_cancel_pending_order_gives_the_stock_back(shopper_client, shopper, sofa):
    fill_cart(shopper, (sofa, 2))
    order_id = place(shopper_client).json()["id"]

    response = shopper_client.post(f"{ORDERS}/{order_id}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    sofa.refresh_from_db()
    assert sofa.stock == 3


@pytest.mark.parametrize("status", ["paid", "shipped", "delivered", "cancelled"])
def test_shoppers_cannot_cancel_an_order_past_pending(shopper_client, shopper, sofa, status):
    fill_cart(shopper, (sofa, 1))
    order_id = place(shopper_client).json()["id"]
    Order.objects.filter(pk=order_id).update(status=status)

    response = shopper_client.post(f"{ORDERS}/{order_id}/cancel")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status_transition"
    assert Order.objects.get().status == status
    sofa.refresh_from_db()
    assert sofa.stock == 2


# --- Idempotency-Key ---------------------------------------------------------------------------


def test_same_key_returns_the_first_order(shopper_client, shopper, sofa):
    fill_cart(shopper, (sofa, 1))
    first = place(shopper_client, HTTP_IDEMPOTENCY_KEY="checkout-7f3a")

    replay = place(shopper_client, HTTP_IDEMPOTENCY_KEY="checkout-7f3a")

    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json()
    assert Order.objects.count() == 1
    sofa.refresh_from_db()
    assert sofa.stock == 2


def test_same_key_with_another_address_or_cart_is_422(shopper_client, shopper, sofa, lamp):
    fill_cart(shopper, (sofa, 1))
    place(shopper_client, HTTP_IDEMPOTENCY_KEY="checkout-1")

    other_address = place(shopper_client, {**SHIPPING_ADDRESS, "city": "Paris"}, HTTP_IDEMPOTENCY_KEY="checkout-1")
    fill_cart(shopper, (lamp, 1))
    other_cart = place(shopper_client, HTTP_IDEMPOTENCY_KEY="checkout-1")

    for response in (other_address, other_cart):
        assert response.status_code == 422
        assert response.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1
    assert CartItem.objects.count() == 1


def test_keys_belong_to_one_shopper(shopper_client, shopper, client_for, sofa):
    stranger = UserFactory()
    fill_cart(shopper, (sofa, 1))
    fill_cart(stranger, (sofa, 1))

    mine = place(shopper_client, HTTP_IDEMPOTENCY_KEY="same-key")
    theirs = place(client_for(stranger), HTTP_IDEMPOTENCY_KEY="same-key")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_failed_request_frees_its_key(shopper_client, shopper, sofa):
    assert place(shopper_client, HTTP_IDEMPOTENCY_KEY="retry-me").status_code == 400  # empty cart

    fill_cart(shopper, (sofa, 1))

    assert place(shopper_client, HTTP_IDEMPOTENCY_KEY="retry-me").status_code == 201


def test_a_key_still_in_flight_is_409(shopper_client, shopper, sofa):
    from orders.models import IdempotencyKey

    fill_cart(shopper, (sofa, 1))
    IdempotencyKey.objects.create(user=shopper, key="in-flight", fingerprint="x")  # claimed, no order yet

    response = place(shopper_client, HTTP_IDEMPOTENCY_KEY="in-flight")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_use"
    assert not Order.objects.exists()


def test_a_key_left_by_a_dead_request_is_taken_over(shopper_client, shopper, sofa):
    from datetime import timedelta

    from django.utils import timezone

    from orders.models import IdempotencyKey

    fill_cart(shopper, (sofa, 1))
    claim = IdempotencyKey.objects.create(user=shopper, key="abandoned", fingerprint="x")
    IdempotencyKey.objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    assert place(shopper_client, HTTP_IDEMPOTENCY_KEY="abandoned").status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve-key", "two words"])
def test_malformed_keys_are_400(shopper_client, shopper, sofa, key):
    fill_cart(shopper, (sofa, 1))

    response = place(shopper_client, HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["Idempotency-Key"]


def test_old_keys_are_purged_after_24_hours(shopper, sofa):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from orders.models import IdempotencyKey

    IdempotencyKey.objects.create(user=shopper, key="fresh", fingerprint="x")
    old = IdempotencyKey.objects.create(user=shopper, key="old", fingerprint="x")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))

    call_command("purge_idempotency_keys")

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
