"""The Content-Security-Policy of the HTML pages: the admin, the API docs, the landing page (Contract v2, Staff)."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from catalog.tests.factories import ProductFactory
from catalog.tests.images import image_upload
from luxyhome.tests.test_settings import manage

pytestmark = pytest.mark.django_db

PAGES = ["/admin/login/", "/api/docs", "/"]


def policy(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in directives}


def nonce(csp: dict) -> str | None:
    """The nonce script-src names, if any."""
    found = [source[len("'nonce-") : -1] for source in csp["script-src"] if source.startswith("'nonce-")]
    return found[0] if found else None


class Scripts(HTMLParser):
    """Each <script> of a page that a browser runs as a script, as its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type", "text/javascript") in ("text/javascript", "module"):
            self.found.append(attributes)


def assert_scripts_allowed(response) -> None:
    """Every script the page runs is a file from this origin, or inline with the header's nonce."""
    csp = policy(response)
    for script in Scripts(response.content.decode()).found:
        if "src" in script:
            assert not urlsplit(script["src"]).netloc, script  # this origin: 'self'
        else:
            assert nonce(csp), script
            assert script.get("nonce") == nonce(csp), script


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_a_policy_that_refuses_inline_scripts_without_a_nonce(client, path):
    response = client.get(path)

    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert_scripts_allowed(response)


def test_the_docs_start_swagger_ui_from_a_script_file(client):
    page = client.get("/api/docs")
    sources = [script["src"] for script in Scripts(page.content.decode()).found]
    start = next(src for src in sources if src.startswith("/api/docs"))

    script = client.get(start)

    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()
    assert '"/api/schema"' in script.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/catalog/product/",
        "/admin/catalog/product/add/",
        "/admin/catalog/product/{id}/change/",
        "/admin/orders/order/",
    ],
)
def test_admin_pages_run_only_their_script_files(browser, path):
    product = ProductFactory(image=image_upload("sofa.jpg"))

    response = browser.get(path.format(id=product.id))

    assert response.status_code == 200
    assert "'unsafe-inline'" not in policy(response)["script-src"]
    assert_scripts_allowed(response)
    for src in re.findall(r'<img src="([^"]+)"', response.content.decode()):
        assert not urlsplit(src).netloc  # the product's image, from MEDIA_URL here: 'self'


def allows(sources: list[str], url: str) -> bool:
    """Whether a CSP source list lets an image load from `url` (host sources, with or without a path)."""
    for source in sources:
        if source.endswith("/") and url.startswith(source):
            return True
        parts = urlsplit(url)
        if source == f"{parts.scheme}://{parts.netloc}":
            return True
    return False


@pytest.mark.parametrize(
    "storage",
    [
        {"AWS_S3_REGION_NAME": "eu-west-1"},
        {"AWS_STORAGE_BUCKET_NAME": "media.luxyhome.example", "AWS_S3_REGION_NAME": "eu-west-1"},
        {"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
        {"AWS_S3_CUSTOM_DOMAIN": "localhost:9000/luxyhome-media", "AWS_S3_URL_PROTOCOL": "http:"},
    ],
)
def test_product_images_on_s3_are_allowed_by_img_src(storage):
    script = (
        "from django.conf import settings; from django.core.files.storage import default_storage; "
        "print(default_storage.url('products/sofa.jpg')); "
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    env = {"AWS_STORAGE_BUCKET_NAME": "luxyhome-media", "AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "secret"}

    result = manage("shell", "--no-imports", "-c", script, **{**env, **storage})

    assert result.returncode == 0, result.stderr
    url, img_src = result.stdout.strip().splitlines()[-2:]
    assert allows(img_src.split(), url), (url, img_src)


@pytest.mark.parametrize("path", ["/api/products", "/api/auth/me", "/healthz"])
def test_json_answers_carry_no_policy(client, path):
    assert "Content-Security-Policy" not in client.get(path)
