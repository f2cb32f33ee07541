"""Product image uploads, through the API and the admin: what is refused, and what is stored."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from catalog.images import product_image_clean
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from catalog.tests.images import image_file, image_upload

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/products"
PNG_END = b"IEND\xaeB`\x82"  # the last chunk of every PNG


def create(client, image):
    body = {"name": "Emerald Velvet Sofa", "price": "4200.00", "category": "sofas", "image": image}
    return client.post(PRODUCTS, body, format="multipart")


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def photo_with_gps(name: str) -> SimpleUploadedFile:
    """A 40x20 JPEG, as a phone takes it: EXIF saying where (GPS) and to turn it a quarter (orientation 6)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.0)}
    return image_file(Image.new("RGB", (40, 20), (200, 10, 10)), name, "JPEG", exif=exif, comment=b"Ada's flat")


def assert_upright_without_metadata(path: Path):
    with Image.open(path) as image:
        assert image.format == "JPEG"
        assert image.size == (20, 40)  # turned as the orientation said
        assert not image.getexif()
        assert not {"exif", "comment", "xmp"} & set(image.info)


def test_an_image_over_40_megapixels_is_400_and_stores_nothing(staff_client, sofas, settings):
    big = image_file(Image.new("1", (8000, 5013)), "big.png", "PNG")  # 40.1 megapixels in 5 KB

    response = create(staff_client, big)

    assert response.status_code == 400
    assert response.json()["errors"] == {"image": ["An image may be at most 40 megapixels."]}
    assert not Product.objects.exists()
    assert stored_files(settings) == []


def test_past_pillows_own_decompression_bomb_limit_is_400_not_500(staff_client, sofas, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 100x100 is then over twice the limit: an error

    response = create(staff_client, image_upload(size=(100, 100)))
    with pytest.raises(ValidationError, match="40 megapixels"):
        product_image_clean(image_upload(size=(100, 100)))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["image"]
    assert not Product.objects.exists()


def test_a_damaged_image_is_400(staff_client, sofas, settings):
    whole = image_upload(size=(300, 200)).read()
    truncated = SimpleUploadedFile("sofa.jpg", whole[: len(whole) // 2], content_type="image/jpeg")

    response = create(staff_client, truncated)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["image"]
    assert stored_files(settings) == []


@pytest.mark.parametrize("name", ["photo.png", "x.exe", "no-extension", "../../evil.jpg.php"])
def test_the_stored_extension_is_the_format_pillow_found(staff_client, sofas, name):
    response = create(staff_client, image_upload(name, "JPEG"))

    assert response.status_code == 201
    stored = Product.objects.get().image
    assert stored.name.startswith("products/")
    assert stored.name.endswith(".jpg")
    assert response.json()["image_url"].endswith(stored.name)
    with Image.open(stored.path) as image:
        assert image.format == "JPEG"


def test_a_patched_image_is_stored_under_its_formats_extension(staff_client, sofas):
    product = ProductFactory(category=sofas)

    response = staff_client.patch(
        f"{PRODUCTS}/{product.id}", {"image": image_upload("sofa.jpg", "PNG")}, format="multipart"
    )

    assert response.status_code == 200
    product.refresh_from_db()
    assert product.image.name.endswith(".png")


def test_exif_and_gps_are_gone_and_the_photo_is_upright(staff_client, sofas):
    response = create(staff_client, photo_with_gps("sofa.jpg"))

    assert response.status_code == 201
    assert_upright_without_metadata(Path(Product.objects.get().image.path))


def test_bytes_after_a_png_are_not_stored(staff_client, sofas):
    upload = image_upload("sofa.png", "PNG")
    garbage = b"<?php system($_GET['c']); ?>" * 10
    upload = SimpleUploadedFile("sofa.png", upload.read() + garbage, content_type="image/png")

    response = create(staff_client, upload)

    assert response.status_code == 201
    stored = Path(Product.objects.get().image.path).read_bytes()
    assert stored.endswith(PNG_END)
    assert b"php" not in stored


@pytest.mark.parametrize(("image_format", "extension"), [("PNG", ".png"), ("WEBP", ".webp")])
def test_transparency_is_kept(staff_client, sofas, image_format, extension):
    image = Image.new("RGBA", (20, 20), (30, 80, 60, 255))
    image.putpixel((0, 0), (0, 0, 0, 0))

    response = create(staff_client, image_file(image, f"sofa{extension}", image_format))

    assert response.status_code == 201
    with Image.open(Product.objects.get().image.path) as stored:
        assert stored.mode == "RGBA"
        assert (stored.getpixel((0, 0))[3], stored.getpixel((10, 10))[3]) == (0, 255)


# --- the admin ------------------------------------------------------------------------------


def admin_add(browser, sofas, image):
    body = {"name": "Emerald Velvet Sofa", "category": sofas.pk, "price": "4200.00", "stock": "3", "image": image}
    return browser.post("/admin/catalog/product/add/", {**body, "is_active": "on", "_save": "Save"})


def test_an_admin_upload_is_re_encoded_too(browser, sofas):
    response = admin_add(browser, sofas, photo_with_gps("sofa.exe"))

    assert response.status_code == 302
    stored = Product.objects.get().image
    assert stored.name.endswith(".jpg")
    assert_upright_without_metadata(Path(stored.path))


def test_the_admin_refuses_an_image_over_40_megapixels(browser, sofas, settings):
    big = image_file(Image.new("1", (8000, 5013)), "big.png", "PNG")

    response = admin_add(browser, sofas, big)

    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors == {"image": ["An image may be at most 40 megapixels."]}
    assert not Product.objects.exists()
    assert stored_files(settings) == []
