"""seed_demo: the demo catalog with real images, generated products for load tests, safe to run again."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image

from accounts.models import User
from accounts.tests.factories import UserFactory
from catalog import demo_data
from catalog.models import Category, Product, SearchWord
from catalog.services import product_update
from luxyhome.cache import versions
from orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings):
    """The temporary media folder conftest gives every test: where the generated images land."""
    return settings.MEDIA_ROOT


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def catalog_rows():
    return list(Category.objects.order_by("slug").values()), list(Product.objects.order_by("slug").values())


@pytest.fixture
def development(settings):
    """As `make run` has it: DEBUG on, DJANGO_ENV not production (pytest-django turns DEBUG off)."""
    settings.DEBUG, settings.PRODUCTION = True, False


def staff_login(output: str) -> tuple[str, str] | None:
    """The (email, password) seed_demo printed, if it printed one."""
    found = re.search(r"Demo staff login for /admin/: (\S+), password (\S+)\n", output)
    return found.groups() if found else None


def test_seed_demo_creates_the_demo_catalog_with_images(media_root):
    output = seed()

    assert "8 categories created, 40 products created" in output
    assert sorted(Category.objects.values_list("name", flat=True)) == sorted(demo_data.CATEGORIES.values())
    products = Product.objects.select_related("category")
    assert products.count() == len(demo_data.PRODUCTS) == 40
    assert {p.category.slug for p in products} == set(demo_data.CATEGORIES)
    assert products.filter(name="Emerald Velvet Sofa", slug="emerald-velvet-sofa", price=Decimal("8400.00")).exists()
    assert products.filter(stock=0).exists()
    assert products.filter(stock__gt=0).count() >= 30
    for product in products:
        assert default_storage.exists(product.image.name)
        assert Path(default_storage.path(product.image.name)).is_relative_to(media_root)
        with default_storage.open(product.image.name) as file, Image.open(file) as image:
            assert (image.format, image.size) == ("JPEG", (800, 600))
    assert len({p.image.name for p in products}) == 40


def test_seed_demo_twice_changes_nothing(media_root):
    seed()
    rows, files = catalog_rows(), sorted(media_root.rglob("*"))

    output = seed()

    assert "0 categories created, 0 products created (0 demo, 0 generated), 0 images created" in output
    assert catalog_rows() == rows
    assert sorted(media_root.rglob("*")) == files


def test_seed_demo_products_adds_generated_products_once(media_root):
    seed()
    demo_images = set(Product.objects.values_list("image", flat=True))

    assert "50 products created (0 demo, 50 generated)" in seed("--products", "50")

    generated = Product.objects.filter(slug__startswith="lxh-item-")
    assert Product.objects.count() == 90
    assert sorted(generated.values_list("slug", flat=True)) == [f"lxh-item-{n:06d}" for n in range(1, 51)]
    assert set(generated.values_list("image", flat=True)) <= demo_images
    assert not generated.filter(category=None).exists()
    assert len(list((media_root / "products").iterdir())) == 40  # generated products share the demo images

    rows = catalog_rows()
    assert "0 products created" in seed("--products", "50")
    assert catalog_rows() == rows
    assert "10 products created (0 demo, 10 generated)" in seed("--products", "60")


def test_seed_demo_generates_the_same_products_on_every_run():
    seed("--products", "5")
    first = list(Product.objects.filter(slug__startswith="lxh-item-").order_by("slug").values_list("name", "price"))
    Product.objects.filter(slug__in=["lxh-item-000002", "lxh-item-000004"]).delete()

    seed("--products", "5")

    again = Product.objects.filter(slug__startswith="lxh-item-").order_by("slug").values_list("name", "price")
    assert list(again) == first


def test_seed_demo_keeps_staff_edits():
    seed()
    sofa = Product.objects.get(slug="emerald-velvet-sofa")
    product_update(product=sofa, price=Decimal("7900.00"), name="Emerald Velvet Sofa, Three-Seat")
    Category.objects.filter(slug="rugs").update(name="Hand-Made Rugs")

    seed()

    sofa.refresh_from_db()
    assert (sofa.name, sofa.price) == ("Emerald Velvet Sofa, Three-Seat", Decimal("7900.00"))
    assert Category.objects.get(slug="rugs").name == "Hand-Made Rugs"
    assert Product.objects.count() == 40


def test_seed_demo_gives_an_image_to_a_demo_product_without_one():
    seed()
    Product.objects.filter(slug="taupe-mohair-daybed").update(image="")

    assert "1 images created" in seed()

    image = Product.objects.get(slug="taupe-mohair-daybed").image
    assert image
    assert default_storage.exists(image.name)


def test_seed_demo_changes_the_catalog_version(django_capture_on_commit_callbacks):
    before = versions("catalog")
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    seeded = versions("catalog")
    with django_capture_on_commit_callbacks(execute=True):
        seed("--products", "3")

    assert before != seeded != versions("catalog")


def test_seed_demo_refuses_a_negative_count():
    with pytest.raises(CommandError, match="--products"):
        seed("--products", "-1")


def test_seeded_names_are_in_the_search_vocabulary(api_client, postgresql):
    seed("--products", "50")
    generated = Product.objects.filter(slug__startswith="lxh-item-").first()
    word = max(generated.name.split(), key=len)

    typo = word[:2] + word[3:]  # one letter dropped
    found = api_client.get(f"/api/products?search={typo}&page_size=100").json()["results"]

    assert generated.name in [product["name"] for product in found]
    assert SearchWord.objects.filter(word="velvet").exists()  # a demo product's word


# --- development: demo orders and a staff login ------------------------------------------------


def test_seed_demo_in_development_adds_demo_orders_and_prints_a_staff_login(development, client):
    output = seed()

    orders = Order.objects.count()
    assert f"Demo orders: {orders} orders of 12 shoppers over the last 35 days; " in output
    assert orders >= 40
    email, password = staff_login(output)
    assert email == "staff@luxyhome.example"
    staff = User.objects.get(is_staff=True)
    assert (staff.email, staff.is_superuser) == (email, True)
    login = client.post("/admin/login/?next=/admin/", {"username": email, "password": password})
    assert (login.status_code, login["Location"]) == (302, "/admin/")
    assert client.get("/admin/orders/order/").status_code == 200


def test_seed_demo_in_development_twice_adds_nothing_the_second_time(development):
    seed()
    rows, users = catalog_rows(), list(User.objects.order_by("pk").values_list("pk", "password"))
    orders = list(Order.objects.order_by("pk").values())

    output = seed()

    assert "0 products created" in output
    assert "Demo orders: 0 orders created (they exist already)." in output
    assert staff_login(output) is None
    assert "password" not in output
    assert catalog_rows() == rows  # the stock the demo orders took was taken once
    assert list(User.objects.order_by("pk").values_list("pk", "password")) == users
    assert list(Order.objects.order_by("pk").values()) == orders


@pytest.mark.parametrize("role", [{"is_staff": True}, {"is_superuser": True}])
def test_seed_demo_makes_no_staff_login_while_a_staff_account_exists(development, role):
    existing = UserFactory(**role)

    output = seed()

    assert staff_login(output) is None
    assert "Demo orders: " in output
    assert list(User.objects.filter(is_staff=True) | User.objects.filter(is_superuser=True)) == [existing]


def test_seed_demo_never_promotes_the_account_holding_the_staff_address(development):
    shopper = UserFactory(email="Staff@LuxyHome.example")

    output = seed()

    assert staff_login(output) is None
    shopper.refresh_from_db()
    assert (shopper.is_staff, shopper.is_superuser) == (False, False)
    assert not User.objects.filter(is_staff=True).exists()


@pytest.mark.parametrize(("debug", "production"), [(False, False), (True, True), (False, True)])
def test_seed_demo_outside_development_loads_only_the_catalog(settings, debug, production):
    settings.DEBUG, settings.PRODUCTION = debug, production

    output = seed()

    assert output.splitlines() == [
        "Demo catalog: 8 categories created, 40 products created (40 demo, 0 generated), 40 images created."
    ]
    assert not User.objects.exists()
    assert not Order.objects.exists()
    assert [demo.stock for demo in demo_data.PRODUCTS] == [
        Product.objects.get(name=demo.name).stock for demo in demo_data.PRODUCTS
    ]
