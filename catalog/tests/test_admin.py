"""The staff catalog dashboard: what staff see, and that every write goes through the services."""

from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from catalog.models import Category, Product
from catalog.tests.factories import CategoryFactory, ProductFactory
from catalog.tests.images import image_upload
from luxyhome.cache import versions

pytestmark = pytest.mark.django_db

PRODUCTS = "/admin/catalog/product/"
CATEGORIES = "/admin/catalog/category/"


def shown(response) -> list[str]:
    """The names of the products on the changelist page, in order."""
    return [product.name for product in response.context["cl"].result_list]


def new_product(category, **fields):
    return {
        "name": "Emerald Velvet Sofa",
        "category": category.pk,
        "description": "Deep green velvet.",
        "price": "4200.00",
        "stock": "3",
        "is_active": "on",
        "_save": "Save",
        **fields,
    }


# --- product changelist ---------------------------------------------------------------------


def test_product_changelist_shows_preview_and_filters(browser):
    with_image = ProductFactory(name="Marble Lamp", image=image_upload("lamp.jpg"))
    ProductFactory(name="Oak Bench")

    response = browser.get(PRODUCTS)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<img src="{with_image.image.url}"' in html
    assert "width:48px" in html
    assert "—" in html  # the product without an image
    for title in ("By status", "By in stock", "By category"):
        assert title in html
    assert sorted(shown(response)) == ["Marble Lamp", "Oak Bench"]


@pytest.mark.parametrize(("value", "expected"), [("yes", ["In Stock"]), ("no", ["Sold Out"])])
def test_product_in_stock_filter_returns_the_right_rows(browser, value, expected):
    ProductFactory(name="In Stock", stock=4)
    ProductFactory(name="Sold Out", stock=0)

    assert shown(browser.get(PRODUCTS, {"in_stock": value})) == expected


@pytest.mark.parametrize(("value", "expected"), [("active", ["Shown"]), ("archived", ["Archived"])])
def test_product_status_filter_separates_archived(browser, value, expected):
    ProductFactory(name="Shown")
    ProductFactory(name="Archived", is_active=False)

    assert shown(browser.get(PRODUCTS, {"status": value})) == expected


def test_product_search_finds_by_name(browser):
    ProductFactory(name="Velvet Armchair")
    ProductFactory(name="Oak Bench")

    assert shown(browser.get(PRODUCTS, {"q": "velvet"})) == ["Velvet Armchair"]


def test_product_changelist_queries_do_not_grow_with_the_page(browser, django_assert_max_num_queries):
    ProductFactory.create_batch(3, image=image_upload())
    with django_assert_max_num_queries(20) as few:
        assert browser.get(PRODUCTS).status_code == 200

    ProductFactory.create_batch(27, image=image_upload())
    with django_assert_max_num_queries(len(few)):
        response = browser.get(PRODUCTS)

    assert len(shown(response)) == 30


def test_product_changelist_is_staff_only(client):
    client.force_login(UserFactory())

    response = client.get(PRODUCTS)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- product writes -------------------------------------------------------------------------


def test_product_add_creates_it_with_a_slug_and_bumps_the_version(browser, sofas, django_capture_on_commit_callbacks):
    ProductFactory(name="Emerald Velvet Sofa", slug="emerald-velvet-sofa")
    before = versions("catalog")

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"{PRODUCTS}add/", new_product(sofas))

    assert response.status_code == 302
    product = Product.objects.get(slug="emerald-velvet-sofa-2")
    assert (product.name, product.price, product.stock, product.category) == (
        "Emerald Velvet Sofa",
        Decimal("4200.00"),
        3,
        sofas,
    )
    assert product.is_active
    assert not product.image
    assert response["Location"] == PRODUCTS
    assert versions("catalog") != before


def test_product_add_form_has_no_slug_field(browser):
    response = browser.get(f"{PRODUCTS}add/")

    assert response.status_code == 200
    assert "slug" not in response.context["adminform"].form.fields


def test_product_add_stores_the_uploaded_image(browser, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    sofas = CategoryFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"{PRODUCTS}add/", new_product(sofas, image=image_upload("Sofa.JPG")))

    assert response.status_code == 302
    product = Product.objects.get()
    assert product.image.name.startswith("products/")
    assert product.image.name.endswith(".jpg")
    assert (tmp_path / product.image.name).read_bytes()[:2] == b"\xff\xd8"  # a JPEG


def test_product_add_rejects_a_non_positive_price(browser):
    response = browser.post(f"{PRODUCTS}add/", new_product(CategoryFactory(), price="0"))

    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors
    assert not Product.objects.exists()


def test_product_change_form_shows_the_preview_and_keeps_the_slug(browser, django_capture_on_commit_callbacks):
    product = ProductFactory(name="Marble Lamp", slug="marble-lamp", image=image_upload(), stock=2)
    page = browser.get(f"{PRODUCTS}{product.pk}/change/")
    assert page.status_code == 200
    assert f'<img src="{product.image.url}"' in page.content.decode()
    assert "width:240px" in page.content.decode()
    before = versions("catalog")

    data = new_product(product.category, name="Onyx Lamp", price="450.00", stock="2")
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"{PRODUCTS}{product.pk}/change/", data)

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.slug, product.description) == ("Onyx Lamp", "marble-lamp", "Deep green velvet.")
    assert product.image  # no new upload: the old image stays
    assert versions("catalog") != before


def test_product_list_editable_price_changes_it_and_bumps_the_version(browser, django_capture_on_commit_callbacks):
    product = ProductFactory(price=Decimal("450.00"), stock=5)
    before = versions("catalog")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(product.pk),
        "form-0-price": "525.00",
        "form-0-stock": "5",
        "_save": "Save",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(PRODUCTS, data)

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.price, product.stock) == (Decimal("525.00"), 5)
    assert versions("catalog") != before


@pytest.mark.parametrize(
    ("action", "start", "end", "message"),
    [
        ("archive_products", True, False, "2 products archived."),
        ("restore_products", False, True, "2 products restored."),
    ],
)
def test_product_actions_flip_is_active_and_bump_the_version(
    browser, django_capture_on_commit_callbacks, action, start, end, message
):
    chosen = ProductFactory.create_batch(2, is_active=start)
    other = ProductFactory(is_active=start)
    before = versions("catalog")

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            PRODUCTS, {"action": action, "_selected_action": [p.pk for p in chosen], "index": "0"}, follow=True
        )

    assert response.status_code == 200
    assert message in [str(m) for m in response.context["messages"]]
    assert list(Product.objects.filter(pk__in=[p.pk for p in chosen]).values_list("is_active", flat=True)) == [end] * 2
    other.refresh_from_db()
    assert other.is_active is start
    assert versions("catalog") != before


def test_product_delete_is_not_available(browser):
    product = ProductFactory()

    changelist = browser.get(PRODUCTS)
    change = browser.get(f"{PRODUCTS}{product.pk}/change/")
    delete = browser.get(f"{PRODUCTS}{product.pk}/delete/")
    action = browser.post(PRODUCTS, {"action": "delete_selected", "_selected_action": [product.pk], "post": "yes"})

    assert "delete_selected" not in [name for name, _ in changelist.context["action_form"].fields["action"].choices]
    assert change.context["has_delete_permission"] is False
    assert f"{PRODUCTS}{product.pk}/delete/" not in change.content.decode()
    assert delete.status_code == 403
    assert action.status_code == 302  # not an action here: back to the changelist, nothing done
    assert Product.objects.filter(pk=product.pk).exists()


# --- categories -----------------------------------------------------------------------------


def test_category_changelist_shows_the_product_counts(browser, sofas, django_assert_max_num_queries):
    ProductFactory.create_batch(3, category=sofas)
    ProductFactory(category=sofas, is_active=False)
    CategoryFactory(name="Lamps", slug="lamps")

    with django_assert_max_num_queries(6):
        response = browser.get(CATEGORIES, {"o": "-3"})  # sorted by the product count, most first

    assert response.status_code == 200
    assert [(c.name, c.product_count) for c in response.context["cl"].result_list] == [("Sofas", 4), ("Lamps", 0)]
    assert '<td class="field-product_count">4</td>' in response.content.decode()


def test_category_add_makes_the_slug_and_bumps_the_version(browser, django_capture_on_commit_callbacks):
    CategoryFactory(name="Outdoor", slug="outdoor-living")
    before = versions("catalog")

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"{CATEGORIES}add/", {"name": "Outdoor Living", "slug": "", "_save": "Save"})

    assert response.status_code == 302
    assert Category.objects.get(name="Outdoor Living").slug == "outdoor-living-2"
    assert versions("catalog") != before


def test_category_add_keeps_a_given_slug(browser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(f"{CATEGORIES}add/", {"name": "Outdoor Living", "slug": "garden", "_save": "Save"})

    assert Category.objects.get(name="Outdoor Living").slug == "garden"


def test_category_edit_requires_a_slug_and_bumps_the_version(browser, django_capture_on_commit_callbacks):
    category = CategoryFactory(name="Lamps", slug="lamps")
    before = versions("catalog")

    blank = browser.post(f"{CATEGORIES}{category.pk}/change/", {"name": "Lighting", "slug": "", "_save": "Save"})
    with django_capture_on_commit_callbacks(execute=True):
        saved = browser.post(
            f"{CATEGORIES}{category.pk}/change/", {"name": "Lighting", "slug": "lamps", "_save": "Save"}
        )

    assert blank.status_code == 200
    assert "slug" in blank.context["adminform"].form.errors
    assert saved.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.slug) == ("Lighting", "lamps")
    assert versions("catalog") != before


def test_category_delete_keeps_its_products_and_bumps_the_version(browser, django_capture_on_commit_callbacks):
    lamps, sofas = CategoryFactory(), CategoryFactory()
    lamp = ProductFactory(category=lamps)
    before = versions("catalog")

    with django_capture_on_commit_callbacks(execute=True):
        one = browser.post(f"{CATEGORIES}{lamps.pk}/delete/", {"post": "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        many = browser.post(CATEGORIES, {"action": "delete_selected", "_selected_action": [sofas.pk], "post": "yes"})

    assert (one.status_code, many.status_code) == (302, 302)
    assert not Category.objects.exists()
    lamp.refresh_from_db()
    assert lamp.category is None
    assert versions("catalog") != before
