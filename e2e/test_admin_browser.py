"""The admin in a real browser: a staff member fills the catalog, with an image, and moves a
shopper's order along; the shopper's API then tells the same story."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import Page, expect

from accounts.services import tokens_for
from accounts.tests.factories import PASSWORD, UserFactory
from catalog.models import Product
from catalog.tests.images import image_upload
from orders.tests.factories import place_order

# the live server answers from its own thread: the test's rows must be committed to be seen
pytestmark = pytest.mark.django_db(transaction=True)

TABLE = "Carrara Marble Side Table"
IMAGE_SIZE = (96, 64)


@pytest.fixture
def manager(db):
    """A staff member who runs the catalog and the orders, without being a superuser."""
    user = UserFactory(email="curator@luxyhome.example", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["catalog", "orders"]))
    return user


def sign_in(page: Page, user) -> None:
    page.goto("/admin/")
    page.get_by_label("Email:", exact=True).fill(user.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Run the shop")).to_be_visible()


def expect_success(page: Page, text: str) -> None:
    expect(page.locator(".messagelist .success")).to_contain_text(text)


def open_list(page: Page, model: str, title: str) -> None:
    """Via the site header and the home page's row for `model` ("app-model"), as staff click."""
    page.get_by_role("link", name="Luxyhome administration").click()
    page.locator(f"#{model}").get_by_role("link", name=title, exact=True).click()


def add_category(page: Page, name: str) -> None:
    open_list(page, "catalog-category", "Categories")
    page.get_by_role("link", name="Add category").click()
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_role("button", name="Save", exact=True).click()
    expect_success(page, "was added successfully")


def add_product(page: Page, name: str, category: str) -> None:
    open_list(page, "catalog-product", "Products")
    page.get_by_role("link", name="Add product").click()
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_label("Category:", exact=True).select_option(label=category)
    page.get_by_label("Description:", exact=True).fill("Honed Carrara marble on a blackened steel base.")
    page.get_by_label("Price:", exact=True).fill("1250.00")
    page.get_by_label("Stock:", exact=True).fill("4")
    jpeg = image_upload("side-table.jpg", size=IMAGE_SIZE).read()
    page.get_by_label("Image:", exact=True).set_input_files(
        {"name": "side-table.jpg", "mimeType": "image/jpeg", "buffer": jpeg}
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect_success(page, "was added successfully")


def run_action(page: Page, order, action: str, done: str, shown_status: str) -> None:
    row = page.locator("#result_list tbody tr", has_text=order.number)
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Go").click()
    expect_success(page, done)
    expect(row.locator("td.field-status")).to_have_text(shown_status)


def test_admin_staff_fills_catalog_and_ships_an_order(page, http, manager, shopper, tmp_path, results_dir):
    order = place_order(shopper)

    sign_in(page, manager)
    add_category(page, "Marble Collection")
    add_product(page, TABLE, "Marble Collection")

    # the product list, with the thumbnail the browser really loaded from the live server
    product = Product.objects.get(name=TABLE)
    assert product.category.name == "Marble Collection"
    assert Path(product.image.path).is_relative_to(tmp_path)  # the upload went to the test's media root
    row = page.locator("#result_list tbody tr", has_text=TABLE)
    thumbnail = row.locator("td.field-thumbnail img")
    expect(thumbnail).to_have_attribute("src", product.image.url)
    thumbnail.evaluate("img => img.decode()")  # rejects when the image cannot be fetched or decoded
    assert thumbnail.evaluate("img => [img.naturalWidth, img.naturalHeight]") == list(IMAGE_SIZE)
    page.screenshot(path=results_dir / "admin-product-list.png", full_page=True)

    open_list(page, "orders-order", "Orders")
    row = page.locator("#result_list tbody tr", has_text=order.number)
    expect(row.locator("td.field-status")).to_have_text("Pending")
    run_action(page, order, "Mark as paid (a payment taken outside the shop)", "1 order marked as paid.", "Paid")
    run_action(page, order, "Mark as shipped", "1 order marked as shipped.", "Shipped")

    # the shopper's own view of it: plain HTTP with a bearer token, none of the staff's cookies
    token = tokens_for(shopper)["access"]
    response = http.get(f"/api/orders/{order.pk}", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200, response.text()
    assert response.json()["status"] == "shipped"
