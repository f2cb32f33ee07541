"""Hostile input: oversized bodies, deep JSON, unicode in every string field, abused headers.

Each answers a 4xx problem, never a 500, and changes nothing; legitimate unicode goes in and comes
back exactly as sent.
"""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD
from cart.models import CartItem
from cart.tests.factories import fill_cart
from catalog.models import Category, Product
from catalog.tests.factories import ProductFactory
from catalog.tests.images import image_upload
from orders.models import Order
from orders.tests.factories import SHIPPING_ADDRESS

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json; charset=utf-8"
ADDRESS = dict(SHIPPING_ADDRESS)

# Every operation that reads a JSON body: (method, path, who calls it, a body it would accept).
JSON_OPERATIONS = [
    ("post", "/api/auth/register", None, {"name": "Ada", "email": "ada@luxyhome.example", "password": PASSWORD}),
    ("post", "/api/auth/login", None, {"email": "ada@luxyhome.example", "password": PASSWORD}),
    ("post", "/api/auth/refresh", None, {"refresh": "x"}),
    ("post", "/api/auth/logout", "shopper", {"refresh": "x"}),
    ("patch", "/api/auth/me", "shopper", {"name": "Ada"}),
    ("post", "/api/categories", "staff", {"name": "Garden"}),
    ("post", "/api/products", "staff", {"name": "Sofa", "price": "10.00"}),
    ("put", "/api/products/{product}", "staff", {"name": "Sofa", "price": "10.00"}),
    ("patch", "/api/products/{product}", "staff", {"price": "10.00"}),
    ("post", "/api/cart/items", "shopper", {"product_id": 0, "quantity": 1}),
    ("put", "/api/cart/items/{line}", "shopper", {"quantity": 1}),
    ("patch", "/api/cart/items/{line}", "shopper", {"quantity": 1}),
    ("post", "/api/orders", "shopper", {"shipping_address": ADDRESS}),
]
JSON_OPERATION_IDS = [f"{method.upper()} {path}" for method, path, _who, _body in JSON_OPERATIONS]


@pytest.fixture
def world(client_for, shopper, staff):
    """Clients by role, and the ids the paths name: a product, and a line in the shopper's cart."""
    product = ProductFactory(stock=50)
    cart = fill_cart(shopper, (product, 1))
    ids = {"product": product.id, "line": cart.items.get().id}
    clients = {None: APIClient(), "shopper": client_for(shopper), "staff": client_for(staff)}
    return clients, ids


def send(world, method, path, who, body, **kwargs):
    """The request as DRF's test client encodes `body` (format="json" or "multipart")."""
    clients, ids = world
    return getattr(clients[who], method)(path.format(**ids), body, **kwargs)


def send_raw(world, method, path, who, body: str | bytes, content_type: str, **headers):
    """The request with exactly this body and Content-Type."""
    clients, ids = world
    return clients[who].generic(method.upper(), path.format(**ids), body, content_type, **headers)


def assert_problem(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    if code:
        assert response.json()["code"] == code
    return response.json()


def nothing_changed(shopper):
    assert Order.objects.count() == 0
    assert CartItem.objects.filter(cart__user=shopper).count() == 1


# --- oversized bodies ------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "who", "body"), JSON_OPERATIONS, ids=JSON_OPERATION_IDS)
def test_json_body_over_the_limit_is_413(world, settings, shopper, method, path, who, body):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    padded = json.dumps({**body, "padding": "x" * 8192})

    response = send_raw(world, method, path, who, padded, "application/json")

    assert_problem(response, 413, "payload_too_large")
    nothing_changed(shopper)


def test_upload_over_the_limit_is_413(world, settings):
    settings.MAX_REQUEST_BODY_SIZE = 16 * 1024
    image = SimpleUploadedFile("sofa.jpg", b"\xff" * 32 * 1024, content_type="image/jpeg")

    body = {"name": "Sofa", "price": "10.00", "image": image}

    response = send(world, "post", "/api/products", "staff", body, format="multipart")

    assert_problem(response, 413, "payload_too_large")
    assert not Product.objects.filter(name="Sofa").exists()


# --- deep JSON -------------------------------------------------------------------------------


@pytest.mark.parametrize("nested", ["[" * 10_000 + "]" * 10_000, '{"a": ' * 10_000 + "1" + "}" * 10_000])
@pytest.mark.parametrize(("method", "path", "who", "body"), JSON_OPERATIONS, ids=JSON_OPERATION_IDS)
def test_deeply_nested_json_is_400(world, shopper, nested, method, path, who, body):
    response = send_raw(world, method, path, who, nested, "application/json")

    assert_problem(response, 400, "parse_error")
    nothing_changed(shopper)


def test_deeply_nested_json_inside_a_field_is_400(world, shopper):
    body = '{"shipping_address": ' + "[" * 10_000 + "]" * 10_000 + "}"

    response = send_raw(world, "post", "/api/orders", "shopper", body, "application/json")

    assert_problem(response, 400, "parse_error")
    nothing_changed(shopper)


# --- unicode in every string field -----------------------------------------------------------

# emoji with skin tone and ZWJ, combining marks, right-to-left with a mark, CJK, an astral-plane
# character, a no-break space and a zero-width joiner inside, a Turkish dotless i
UNICODE = "Ada 👩🏽‍💻 Z̤͔ͧ̑̓ ‏שלום 東京 𝔏𝔲𝔵𝔶 a\u00a0b\u200dc ı"  # noqa: RUF001
SHORT_UNICODE = "〒100 東京 👩🏽‍💻 ı"  # noqa: RUF001 - for a postal code, at most 20

# (method, path, who, body builder, the answer's copy of the value, a value) for every free-text field
ROUND_TRIPS = {
    "register name": (
        "post",
        "/api/auth/register",
        None,
        lambda v: {"name": v, "email": "new@luxyhome.example", "password": PASSWORD},
        lambda a: a["user"]["name"],
        UNICODE,
    ),
    "me name": ("patch", "/api/auth/me", "shopper", lambda v: {"name": v}, lambda a: a["name"], UNICODE),
    "category name": ("post", "/api/categories", "staff", lambda v: {"name": v}, lambda a: a["name"], UNICODE),
    "product name": (
        "post",
        "/api/products",
        "staff",
        lambda v: {"name": v, "price": "10.00"},
        lambda a: a["name"],
        UNICODE,
    ),
    "product description": (
        "patch",
        "/api/products/{product}",
        "staff",
        lambda v: {"description": v},
        lambda a: a["description"],
        UNICODE,
    ),
    **{
        f"shipping {field}": (
            "post",
            "/api/orders",
            "shopper",
            lambda v, field=field: {"shipping_address": {**ADDRESS, field: v}},
            lambda a, field=field: a["shipping_address"][field],
            SHORT_UNICODE if field == "postal_code" else UNICODE,
        )
        for field in ("full_name", "line1", "line2", "city", "postal_code")
    },
}

# every string field of every body, whatever it holds: (method, path, who, body builder)
STRING_FIELDS = {
    **{name: spec[:4] for name, spec in ROUND_TRIPS.items()},
    "register email": ("post", "/api/auth/register", None, lambda v: {"name": "Ada", "email": v, "password": PASSWORD}),
    "register password": (
        "post",
        "/api/auth/register",
        None,
        lambda v: {"name": "Ada", "email": "new@luxyhome.example", "password": v},
    ),
    "login email": ("post", "/api/auth/login", None, lambda v: {"email": v, "password": PASSWORD}),
    "login password": ("post", "/api/auth/login", None, lambda v: {"email": "ada@luxyhome.example", "password": v}),
    "refresh token": ("post", "/api/auth/refresh", None, lambda v: {"refresh": v}),
    "logout token": ("post", "/api/auth/logout", "shopper", lambda v: {"refresh": v}),
    "category slug": ("post", "/api/categories", "staff", lambda v: {"name": "Garden", "slug": v}),
    "product price": ("post", "/api/products", "staff", lambda v: {"name": "Sofa", "price": v}),
    "product category": (
        "post",
        "/api/products",
        "staff",
        lambda v: {"name": "Sofa", "price": "10.00", "category": v},
    ),
    "shipping country": (
        "post",
        "/api/orders",
        "shopper",
        lambda v: {"shipping_address": {**ADDRESS, "country": v}},
    ),
    "shipping phone": ("post", "/api/orders", "shopper", lambda v: {"shipping_address": {**ADDRESS, "phone": v}}),
}


@pytest.mark.parametrize("field", ROUND_TRIPS)
def test_unicode_text_is_kept_exactly(world, field):
    method, path, who, body, copy, value = ROUND_TRIPS[field]

    response = send(world, method, path, who, body(value), format="json")

    assert response.status_code in (200, 201), response.content
    assert copy(response.json()) == value


@pytest.mark.parametrize("field", STRING_FIELDS)
def test_unicode_anywhere_is_never_a_server_error(world, field):
    method, path, who, body = STRING_FIELDS[field]

    response = send(world, method, path, who, body(UNICODE), format="json")

    assert response.status_code < 500
    if response.status_code >= 400:
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("field", STRING_FIELDS)
@pytest.mark.parametrize(
    "hostile",
    ['"a\\u0000b"', '"a\\ud800b"', '"\\udfff"'],
    ids=["NUL", "lone high surrogate", "lone low surrogate"],
)
def test_nul_and_lone_surrogates_are_400(world, shopper, field, hostile):
    method, path, who, body = STRING_FIELDS[field]
    marker = "\u2603-marker"
    raw = json.dumps(body(marker)).replace(json.dumps(marker), hostile)

    response = send_raw(world, method, path, who, raw, "application/json")

    assert_problem(response, 400, "validation_error")
    nothing_changed(shopper)


@pytest.mark.parametrize(("method", "path", "who", "body"), JSON_OPERATIONS, ids=JSON_OPERATION_IDS)
def test_body_that_is_not_utf8_is_400(world, shopper, method, path, who, body):
    raw = json.dumps(body).encode().replace(b"{", b'{"x": "\xff\xfe\xc3\x28", ', 1)

    response = send_raw(world, method, path, who, raw, "application/json")

    assert_problem(response, 400, "parse_error")
    nothing_changed(shopper)


@pytest.mark.parametrize("parameter", ["search", "category"])
def test_unicode_in_query_parameters(api_client, parameter):
    ProductFactory(name=f"Sofa {UNICODE}")

    assert api_client.get("/api/products", {parameter: UNICODE}).status_code == 200
    assert_problem(api_client.get(f"/api/products?{parameter}=a%00b"), 400, "validation_error")


# --- abused headers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer " + "a" * 1_000_000,
        "Bearer " + "eyJ" * 100_000 + "." + "a" * 1000 + "." + "b" * 1000,
        "Bearer",
        "Bearer a b",
        "Bearer \xff\xfe\xfd",
        "Basic Zm9vOmJhcg==",
        "bearer abc",
        " " * 10_000,
    ],
    ids=["1 MB token", "huge JWT-shaped", "no token", "three parts", "latin-1 bytes", "basic", "lowercase", "spaces"],
)
@pytest.mark.parametrize("path", ["/api/auth/me", "/api/cart", "/api/products"])
def test_abused_authorization_header_is_401(path, authorization):
    response = APIClient().get(path, HTTP_AUTHORIZATION=authorization)

    if path == "/api/products" and response.status_code == 200:
        return  # anyone may read the catalog: a header that names no bearer token is no sign-in attempt
    body = assert_problem(response, 401)
    assert body["code"] in ("not_authenticated", "authentication_failed", "token_not_valid", "bad_authorization_header")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "key",
    ["", " ", "k" * 256, "clé", "a b", "tab\there", "nul\x00", "line\nbreak", "trailing\n"],
    ids=["empty", "space", "256 chars", "non-ASCII", "inner space", "tab", "NUL", "newline", "trailing newline"],
)
def test_bad_idempotency_key_is_400_and_places_nothing(world, shopper, key):
    body = {"shipping_address": ADDRESS}

    response = send(world, "post", "/api/orders", "shopper", body, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert assert_problem(response, 400, "validation_error")["errors"] == {
        "Idempotency-Key": ["Use 1 to 255 visible ASCII characters."]
    }
    nothing_changed(shopper)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/x-www-form-urlencoded", "///", "", "application/json-patch+json"],
)
@pytest.mark.parametrize(("method", "path", "who", "body"), JSON_OPERATIONS, ids=JSON_OPERATION_IDS)
def test_body_in_an_unsupported_media_type_is_415(world, shopper, content_type, method, path, who, body):
    response = send_raw(world, method, path, who, json.dumps(body), content_type)

    assert_problem(response, 415, "unsupported_media_type")
    nothing_changed(shopper)


@pytest.mark.parametrize("path", ["/api/auth/login", "/api/orders", "/api/cart/items"])
def test_multipart_where_only_json_is_taken_is_415(world, path):
    response = send(world, "post", path, "shopper", {"email": "a@b.example"}, format="multipart")

    assert_problem(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "nonsense"])
@pytest.mark.parametrize(("method", "path", "who", "body"), JSON_OPERATIONS, ids=JSON_OPERATION_IDS)
def test_json_in_another_charset_is_415(world, shopper, charset, method, path, who, body):
    content_type = f"application/json; charset={charset}"

    response = send_raw(world, method, path, who, json.dumps(body).encode("utf-16"), content_type)

    assert_problem(response, 415, "unsupported_media_type")
    nothing_changed(shopper)


def test_json_in_utf8_may_say_so(world):
    response = send_raw(world, "patch", "/api/auth/me", "shopper", '{"name": "Ada"}', "application/json; charset=UTF-8")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("multipart/form-data", b"name=Sofa", 400),  # no boundary
        ("multipart/form-data; boundary=XX", b"--XX\r\n[]--XX--\r\n", 400),  # a part that names no field
        ("multipart/form-data; boundary=XX", b"garbage without a boundary", 400),
        ("multipart/form-data; boundary=XX; charset=nonsense", b"--XX--\r\n", 415),
    ],
    ids=["no boundary", "nameless part", "no delimiter", "bad charset"],
)
def test_malformed_multipart_is_4xx(world, content_type, body, status):
    before = Product.objects.count()

    response = send_raw(world, "post", "/api/products", "staff", body, content_type)

    assert_problem(response, status)
    assert Product.objects.count() == before


def test_an_empty_form_is_an_empty_form(world):
    form = "multipart/form-data; boundary=XX"

    response = send_raw(world, "patch", "/api/products/{product}", "staff", b"--XX--\r\n", form)

    assert response.status_code == 200


def test_a_real_upload_still_works(world):
    upload = image_upload("sofa.png", "PNG")

    body = {"name": "Sofa", "price": "10.00", "image": upload}

    response = send(world, "post", "/api/products", "staff", body, format="multipart")

    assert response.status_code == 201, response.content
    assert response.json()["image_url"].endswith(".png")


def test_json_types_are_the_schemas(world):
    """DRF would read 5 as a name and "2" as a quantity; the schema says string and integer."""
    for method, path, who, body, field in [
        ("patch", "/api/auth/me", "shopper", {"name": 5}, "name"),
        ("patch", "/api/cart/items/{line}", "shopper", {"quantity": "2"}, "quantity"),
        ("post", "/api/products", "staff", {"name": "Sofa", "price": 10.5}, "price"),
        ("post", "/api/categories", "staff", {"name": True}, "name"),
    ]:
        errors = assert_problem(send(world, method, path, who, body, format="json"), 400, "validation_error")["errors"]
        assert list(errors) == [field]
    assert not Category.objects.filter(name="True").exists()


def test_string_length_counts_what_was_sent(world):
    padded = " " * 10 + "a" * 150  # 150 once trimmed, 160 as sent: over the schema's 150

    response = send(world, "patch", "/api/auth/me", "shopper", {"name": padded}, format="json")

    assert assert_problem(response, 400, "validation_error")["errors"] == {
        "name": ["Ensure this field has no more than 150 characters."]
    }


# --- money past what one order holds ----------------------------------------------------------


@pytest.fixture
def dearest_cart(shopper):
    """Two lines of 99 at the highest price staff can set: 19,799,999,998.02, more than Order.total holds."""
    dearest = [ProductFactory(price=Decimal("99999999.99"), stock=500) for _ in range(2)]
    fill_cart(shopper, *((product, 99) for product in dearest))


def test_a_cart_past_what_one_order_holds_still_answers(shopper_client, dearest_cart):
    response = shopper_client.get("/api/cart")

    assert response.status_code == 200
    assert response.json()["subtotal"] == "19799999998.02"


def test_checkout_past_what_one_order_holds_is_409(shopper_client, dearest_cart):
    response = shopper_client.post("/api/orders", {"shipping_address": ADDRESS}, format="json")

    assert_problem(response, 409, "order_total_too_large")
    assert Order.objects.count() == 0
    assert Product.objects.filter(stock=500).count() == 2
