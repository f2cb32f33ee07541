"""The cart contract: adding, changing and removing lines, stock checks, current prices, caching."""

from decimal import Decimal

import pytest

from cart.models import MAX_LINES, Cart, CartItem
from cart.tests.factories import fill_cart
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

CART = "/api/cart"
ITEMS = "/api/cart/items"


def add(client, product, quantity=None, **extra):
    body = {"product_id": product.id, **({"quantity": quantity} if quantity is not None else {}), **extra}
    return client.post(ITEMS, body)


def test_empty_cart(shopper_client):
    response = shopper_client.get(CART)

    assert response.status_code == 200
    assert response.json() == {"items": [], "total_quantity": 0, "subtotal": "0.00", "currency": "USD"}
    assert "no-store" in response["Cache-Control"]


def test_add_answers_the_whole_cart(shopper_client, sofa, lamp):
    add(shopper_client, sofa)
    response = add(shopper_client, lamp, 2)

    assert response.status_code == 201
    body = response.json()
    assert (body["total_quantity"], body["subtotal"], body["currency"]) == (3, "7981.00", "USD")
    line = body["items"][1]
    assert set(line) == {"id", "product", "quantity", "unit_price", "line_total", "availability"}
    assert set(line["product"]) == {"id", "name", "slug", "price", "image_url", "stock", "in_stock"}
    assert (line["quantity"], line["unit_price"], line["line_total"], line["availability"]) == (
        2,
        "1890.50",
        "3781.00",
        "available",
    )
    assert "no-store" in response["Cache-Control"]


def test_adding_a_product_again_adds_to_its_line(shopper_client, sofa):
    add(shopper_client, sofa, 1)
    body = add(shopper_client, sofa, 2).json()

    assert len(body["items"]) == 1
    assert body["items"][0]["quantity"] == 3


def test_each_adds_answer_is_the_cart_the_next_read_shows(shopper_client, sofa, lamp):
    for product in (sofa, lamp, sofa):  # a new line, another, then more of the first
        added = add(shopper_client, product)

        assert added.status_code == 201
        assert added.json() == shopper_client.get(CART).json()
    assert [item["quantity"] for item in added.json()["items"]] == [2, 1]


def test_prices_sent_by_the_client_are_ignored(shopper_client, sofa):
    body = add(shopper_client, sofa, 1, price="0.01", unit_price="0.01").json()

    assert body["items"][0]["unit_price"] == "4200.00"
    assert body["subtotal"] == "4200.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"product_id": 999999}, "product_id"),
        ({"product_id": "sofa"}, "product_id"),
        ({"quantity": 1}, "product_id"),
        ({"product_id": 2**64}, "product_id"),
        ({"product_id": "SOFA", "quantity": 0}, "quantity"),
        ({"product_id": "SOFA", "quantity": 100}, "quantity"),
        ({"product_id": "SOFA", "quantity": 1.5}, "quantity"),
    ],
)
def test_add_bad_input_is_400_naming_the_field(shopper_client, sofa, body, field):
    if body.get("product_id") == "SOFA":
        body = {**body, "product_id": sofa.id}

    response = shopper_client.post(ITEMS, body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not CartItem.objects.exists()


def test_adding_an_archived_product_is_400(shopper_client):
    archived = ProductFactory(is_active=False)

    response = add(shopper_client, archived)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["product_id"]


def test_adding_more_of_a_product_archived_since_it_was_added_is_400(shopper_client, sofa):
    from catalog.services import product_archive

    add(shopper_client, sofa, 1)
    product_archive(product=sofa)

    response = add(shopper_client, sofa, 1)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["product_id"]
    assert CartItem.objects.get().quantity == 1


def test_more_than_the_stock_is_409_naming_what_is_available(shopper_client, sofa):
    add(shopper_client, sofa, 2)

    response = add(shopper_client, sofa, 2)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "insufficient_stock"
    assert body["shortages"] == [{"product_id": sofa.id, "name": sofa.name, "requested": 4, "available": 3}]
    assert CartItem.objects.get().quantity == 2


def test_a_line_never_passes_99(shopper_client):
    product = ProductFactory(stock=500)
    add(shopper_client, product, 60)

    response = add(shopper_client, product, 40)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["quantity"]
    assert CartItem.objects.get().quantity == 60


@pytest.mark.parametrize("method", ["put", "patch"])
def test_change_quantity(shopper_client, lamp, method):
    item_id = add(shopper_client, lamp, 1).json()["items"][0]["id"]

    response = getattr(shopper_client, method)(f"{ITEMS}/{item_id}", {"quantity": 4})

    assert response.status_code == 200
    assert response.json()["items"][0]["quantity"] == 4
    assert CartItem.objects.get().quantity == 4


def test_a_51st_product_is_409_cart_full_and_changes_nothing(shopper, shopper_client):
    fill_cart(shopper, *((product, 1) for product in ProductFactory.create_batch(MAX_LINES)))
    extra = ProductFactory()

    response = add(shopper_client, extra)

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "cart_full"
    assert CartItem.objects.count() == MAX_LINES
    assert not CartItem.objects.filter(product=extra).exists()


def test_a_full_cart_takes_more_of_a_product_it_holds(shopper, shopper_client):
    products = ProductFactory.create_batch(MAX_LINES)
    fill_cart(shopper, *((product, 1) for product in products))
    line = CartItem.objects.get(product=products[0])

    added = add(shopper_client, products[0], 2)
    changed = shopper_client.patch(f"{ITEMS}/{line.id}", {"quantity": 4})

    assert (added.status_code, changed.status_code) == (201, 200)
    line.refresh_from_db()
    assert line.quantity == 4
    assert CartItem.objects.count() == MAX_LINES


def test_change_quantity_errors(shopper_client, sofa):
    item_id = add(shopper_client, sofa, 1).json()["items"][0]["id"]

    assert shopper_client.patch(f"{ITEMS}/{item_id}", {"quantity": 4}).status_code == 409
    assert shopper_client.patch(f"{ITEMS}/{item_id}", {"quantity": 0}).status_code == 400
    assert shopper_client.patch(f"{ITEMS}/{item_id}", {}).status_code == 400
    assert shopper_client.patch(f"{ITEMS}/999999", {"quantity": 1}).status_code == 404
    assert CartItem.objects.get().quantity == 1


def test_remove_line(shopper_client, sofa, lamp):
    item_id = add(shopper_client, sofa).json()["items"][0]["id"]
    add(shopper_client, lamp)

    assert shopper_client.delete(f"{ITEMS}/{item_id}").status_code == 204
    assert [i["product"]["id"] for i in shopper_client.get(CART).json()["items"]] == [lamp.id]
    assert shopper_client.delete(f"{ITEMS}/{item_id}").status_code == 404


def test_another_shoppers_line_is_404_and_untouched(shopper, shopper_client, client_for, sofa):
    from accounts.tests.factories import UserFactory

    other = client_for(UserFactory())
    item_id = add(other, sofa, 1).json()["items"][0]["id"]

    assert shopper_client.patch(f"{ITEMS}/{item_id}", {"quantity": 2}).status_code == 404
    assert shopper_client.delete(f"{ITEMS}/{item_id}").status_code == 404
    assert shopper_client.get(CART).json()["items"] == []
    assert CartItem.objects.get().quantity == 1
    assert not Cart.objects.filter(user=shopper).exists()  # the failed writes made no cart either


def test_cart_needs_a_signed_in_shopper(api_client, sofa):
    assert api_client.get(CART).status_code == 401
    assert add(api_client, sofa).status_code == 401
    assert api_client.delete(f"{ITEMS}/1").status_code == 401


def test_cart_shows_todays_price_and_flags_lines_that_cannot_be_bought(shopper_client, sofa, lamp):
    chair = ProductFactory(name="Oak Chair", stock=5)
    for product, quantity in ((sofa, 2), (lamp, 1), (chair, 1)):
        add(shopper_client, product, quantity)
    from catalog.services import product_archive, product_update

    product_update(product=sofa, stock=1, price=Decimal("3900.00"))
    product_update(product=lamp, stock=0)
    product_archive(product=chair)

    body = shopper_client.get(CART).json()

    assert [(i["unit_price"], i["availability"]) for i in body["items"]] == [
        ("3900.00", "insufficient_stock"),
        ("1890.50", "out_of_stock"),
        ("450.00", "archived"),
    ]
    assert body["subtotal"] == "10140.50"


def test_cart_answer_is_cached_and_costs_few_queries_on_a_miss(shopper_client, django_assert_max_num_queries):
    for _ in range(5):
        add(shopper_client, ProductFactory())

    with django_assert_max_num_queries(2):
        first = shopper_client.get(CART)
    with django_assert_max_num_queries(0):  # the user, the denylist and the answer come from the cache
        second = shopper_client.get(CART)

    assert first.json() == second.json()
    assert len(second.json()["items"]) == 5


def test_a_product_change_shows_in_the_cached_cart(shopper_client, sofa):
    from catalog.services import product_update

    add(shopper_client, sofa, 1)
    shopper_client.get(CART)

    product_update(product=sofa, price=Decimal("4100.00"))

    assert shopper_client.get(CART).json()["items"][0]["unit_price"] == "4100.00"


def test_carts_are_cached_per_shopper(shopper_client, client_for, sofa):
    from accounts.tests.factories import UserFactory

    add(shopper_client, sofa, 1)
    shopper_client.get(CART)

    assert client_for(UserFactory()).get(CART).json()["items"] == []


@pytest.mark.django_db(transaction=True)
def test_each_committed_cart_write_shows_on_the_next_read(shopper_client, sofa, lamp):
    def quantities():
        return [item["quantity"] for item in shopper_client.get(CART).json()["items"]]

    line = add(shopper_client, sofa, 1).json()["items"][0]["id"]
    assert quantities() == [1]

    add(shopper_client, lamp, 2)
    assert quantities() == [1, 2]
    shopper_client.patch(f"{ITEMS}/{line}", {"quantity": 3})
    assert quantities() == [3, 2]
    shopper_client.delete(f"{ITEMS}/{line}")
    assert quantities() == [2]
