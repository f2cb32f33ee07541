"""Catalog writes need the model permission the admin asks for, not only is_staff (Contract v2, Staff)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from accounts.tests.factories import UserFactory
from catalog.models import Category, Product
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json; charset=utf-8"


def staff_with(*perms: str):
    """A staff member holding exactly these permissions ("app_label.codename")."""
    user = UserFactory(is_staff=True)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


@pytest.fixture
def support(db):
    """Staff who answer shoppers: they read orders, and nothing in the catalog is theirs to change."""
    return staff_with("orders.view_order")


@pytest.fixture
def product(db):
    return ProductFactory(price=Decimal("450.00"))


def assert_forbidden(response):
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "permission_denied"


def test_support_staff_may_not_write_the_catalog(client_for, support, product):
    client = client_for(support)

    assert_forbidden(client.patch(f"/api/products/{product.id}", {"price": "1.00"}))
    assert_forbidden(client.put(f"/api/products/{product.id}", {"name": "Cheap Sofa", "price": "1.00"}))
    assert_forbidden(client.post("/api/products", {"name": "Oak Bench", "price": "300.00"}))
    assert_forbidden(client.delete(f"/api/products/{product.id}"))
    assert_forbidden(client.post("/api/categories", {"name": "Garden"}))

    product.refresh_from_db()
    assert (product.price, product.is_active) == (Decimal("450.00"), True)
    assert not Product.objects.exclude(pk=product.pk).exists()
    assert not Category.objects.filter(name="Garden").exists()


def test_support_staff_still_read_the_catalog_as_staff(client_for, support):
    archived = ProductFactory(is_active=False)
    client = client_for(support)

    assert client.get("/api/products").json()["count"] == 1
    assert client.get(f"/api/products/{archived.id}").status_code == 200
    assert client.get("/api/categories").status_code == 200


def test_the_admin_refuses_support_staff_the_product_page(client, support, product):
    client.force_login(support)

    assert client.get(f"/admin/catalog/product/{product.id}/change/").status_code == 403
    assert client.get("/admin/orders/order/").status_code == 200  # what they may do, they still do


def test_change_permission_allows_editing_but_not_archiving(client_for, product):
    client = client_for(staff_with("catalog.change_product"))

    patched = client.patch(f"/api/products/{product.id}", {"price": "520.00"})

    assert patched.status_code == 200, patched.content
    assert patched.json()["price"] == "520.00"
    assert_forbidden(client.delete(f"/api/products/{product.id}"))
    assert_forbidden(client.post("/api/products", {"name": "Oak Bench", "price": "300.00"}))
    product.refresh_from_db()
    assert (product.price, product.is_active) == (Decimal("520.00"), True)


@pytest.mark.parametrize(
    ("method", "path", "perm"),
    [
        ("post", "/api/products", "catalog.add_product"),
        ("delete", "/api/products/{id}", "catalog.delete_product"),
        ("post", "/api/categories", "catalog.add_category"),
    ],
)
def test_each_write_needs_its_own_permission(client_for, product, method, path, perm):
    body = {"name": "Oak Bench", "price": "300.00"} if method == "post" else None

    response = getattr(client_for(staff_with(perm)), method)(path.format(id=product.id), body)

    assert response.status_code in (201, 204), response.content


def test_a_permission_without_is_staff_is_not_enough(client_for, product):
    former_staff = staff_with("catalog.change_product")
    former_staff.is_staff = False
    former_staff.save()

    assert_forbidden(client_for(former_staff).patch(f"/api/products/{product.id}", {"price": "1.00"}))


def test_a_superuser_may_do_every_write(client_for, product):
    client = client_for(UserFactory(is_staff=True, is_superuser=True))

    assert client.post("/api/categories", {"name": "Garden"}).status_code == 201
    assert client.post("/api/products", {"name": "Oak Bench", "price": "300.00"}).status_code == 201
    assert client.patch(f"/api/products/{product.id}", {"price": "520.00"}).status_code == 200
    assert client.delete(f"/api/products/{product.id}").status_code == 204


def test_the_schema_documents_403_on_the_catalog_writes_only(api_client):
    paths = api_client.get("/api/schema?format=json").json()["paths"]

    forbidden = {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith(("/api/products", "/api/categories"))
        for method, operation in operations.items()
        if "403" in operation["responses"]
    }

    assert forbidden == {
        ("POST", "/api/categories"),
        ("POST", "/api/products"),
        ("PUT", "/api/products/{id}"),
        ("PATCH", "/api/products/{id}"),
        ("DELETE", "/api/products/{id}"),
    }
