"""What a product has available, and so whether it is in stock: one rule for the API, the admin,
the cart and checkout (catalog.models)."""

import pytest

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(db):
    return {
        "for sale": ProductFactory(name="Brass Lamp", stock=3),
        "sold out": ProductFactory(name="Walnut Desk", stock=0),
        "archived": ProductFactory(name="Velvet Sofa", stock=7, is_active=False),
    }


def test_an_archived_product_has_nothing_available_whatever_its_stock(products):
    assert {name: (product.available, product.in_stock) for name, product in products.items()} == {
        "for sale": (3, True),
        "sold out": (0, False),
        "archived": (0, False),
    }


def test_the_staff_list_and_the_admin_filter_in_stock_by_that_rule(client, client_for, products):
    staff = client_for(UserFactory(is_staff=True))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    def api(value):
        return {
            product["name"]: product["in_stock"]
            for product in staff.get(f"/api/products?in_stock={value}").json()["results"]
        }

    def admin(value):
        response = client.get(f"/admin/catalog/product/?in_stock={value}")
        return {product.name for product in response.context["cl"].result_list}

    assert api("true") == {"Brass Lamp": True}
    assert api("false") == {"Walnut Desk": False, "Velvet Sofa": False}
    assert admin("yes") == {"Brass Lamp"}
    assert admin("no") == {"Walnut Desk", "Velvet Sofa"}
