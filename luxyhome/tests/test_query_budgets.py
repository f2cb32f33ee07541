"""Every API operation's database queries, bounded: a change that adds one fails here.

The lists (products, orders, categories, cart) also prove elsewhere that their count does not
grow with the page or the data. Each budget is counted with the signed-in user already in the
cache, as on every request but a session's first.
"""

import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from cart.tests.factories import fill_cart
from catalog.tests.factories import CategoryFactory, ProductFactory
from orders.tests.factories import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client_for):
    """A client for `user` whose first request (the user lookup) is behind it."""

    def sign_in(user):
        client = client_for(user)
        assert client.get("/api/auth/me").status_code == 200
        return client

    return sign_in


def test_auth_budgets(api_client, signed_in, django_assert_max_num_queries):
    shopper = UserFactory()
    with django_assert_max_num_queries(5):  # the user and its verification e-mail (in a savepoint), its refresh token
        registered = api_client.post(
            "/api/auth/register", {"name": "Ada", "email": "ada@luxyhome.example", "password": PASSWORD}
        )
    with django_assert_max_num_queries(3):  # the user, its last login, its refresh token
        signed = api_client.post("/api/auth/login", {"email": shopper.email, "password": PASSWORD})
    # the old token's row with its user, its blacklisting (in a savepoint: the claim), the new one listed
    with django_assert_max_num_queries(7):
        refreshed = api_client.post("/api/auth/refresh", {"refresh": signed.json()["refresh"]})
    client = signed_in(shopper)
    with django_assert_max_num_queries(0):
        me = client.get("/api/auth/me")
    with django_assert_max_num_queries(1):  # the update
        renamed = client.patch("/api/auth/me", {"name": "Ada Renamed"})
    with django_assert_max_num_queries(14):  # the refresh token blacklisted, the access token denied
        logged_out = client.post("/api/auth/logout", {"refresh": refreshed.json()["refresh"]})

    statuses = [r.status_code for r in (registered, signed, refreshed, me, renamed, logged_out)]
    assert statuses == [201, 200, 200, 200, 200, 204]


def test_catalog_write_budgets(signed_in, staff, django_assert_max_num_queries):
    client = signed_in(staff)
    category = CategoryFactory(slug="sofas")
    # each write first reads the staff member's permissions: their own and their groups' (2)
    with django_assert_max_num_queries(9):  # the name and slug checks, the insert, savepoints
        created_category = client.post("/api/categories", {"name": "Garden"})
    with django_assert_max_num_queries(10):  # the category, the slug, the insert, the vocabulary, savepoints
        created = client.post("/api/products", {"name": "Oak Bench", "price": "300.00", "category": category.slug})
    product_id = created.json()["id"]
    with django_assert_max_num_queries(7):  # the product, the update, the vocabulary, a savepoint
        updated = client.patch(f"/api/products/{product_id}", {"name": "Oak Garden Bench", "stock": 3})
    with django_assert_max_num_queries(6):  # the product, the update, a savepoint
        archived = client.delete(f"/api/products/{product_id}")

    statuses = [r.status_code for r in (created_category, created, updated, archived)]
    assert statuses == [201, 201, 200, 204]


def test_cart_write_budgets(signed_in, shopper, django_assert_max_num_queries):
    client = signed_in(shopper)
    sofa, lamp = ProductFactory(), ProductFactory()
    fill_cart(shopper, (sofa, 1))
    with django_assert_max_num_queries(6):  # the cart lock, its lines (the answer), the product, the insert, savepoints
        added = client.post("/api/cart/items", {"product_id": lamp.id, "quantity": 2})
    with django_assert_max_num_queries(5):  # the cart lock, its lines (with the product), the update, savepoints
        added_again = client.post("/api/cart/items", {"product_id": sofa.id, "quantity": 1})
    line = added.json()["items"][-1]["id"]
    with django_assert_max_num_queries(6):  # the cart lock, the line and product, the update, the answer, savepoints
        changed = client.patch(f"/api/cart/items/{line}", {"quantity": 3})
    # the cart lock, the line, the delete, the cart's span ended if that was its last line, savepoints
    with django_assert_max_num_queries(6):
        removed = client.delete(f"/api/cart/items/{line}")

    statuses = [r.status_code for r in (added, added_again, changed, removed)]
    assert statuses == [201, 201, 200, 204]


def test_order_cancel_budget(signed_in, shopper, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    client = signed_in(shopper)
    order = place_order(shopper, (ProductFactory(), 2), (ProductFactory(), 1))

    # the order and its items, locked, stock given back per line; its payments, locked; the e-mail
    # reads the items and the shopper and is kept in the outbox; and with no broker (make run) its
    # task runs in the request too: the outbox row locked and marked sent; the stock read for the sockets
    with django_assert_max_num_queries(2 * 2 + 15), django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(f"/api/orders/{order.id}/cancel")

    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
