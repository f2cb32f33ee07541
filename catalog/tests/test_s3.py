"""Product images on S3, against moto's S3-compatible server on a loopback port."""

import importlib
import json
import urllib.request

import boto3
import pytest
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

import luxyhome.settings as project_settings
from catalog.models import Product
from catalog.tests.factories import CategoryFactory
from catalog.tests.images import image_upload
from luxyhome.storage import PublicS3Storage
from luxyhome.tests.servers import free_port

pytestmark = pytest.mark.django_db

BUCKET = "luxyhome-media-test"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_endpoint):
    client = boto3.client("s3", endpoint_url=s3_endpoint, **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    # as deployed: product images are public-read through a bucket policy (no per-object ACLs)
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
    return client


@pytest.fixture
def s3_media(settings, monkeypatch, s3_endpoint, s3_client):
    """The project's own settings code, read with the AWS_* variables a deployment would set."""
    for name, value in {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = importlib.reload(project_settings).STORAGES
    yield
    monkeypatch.undo()
    importlib.reload(project_settings)


@pytest.mark.parametrize(
    "where",
    [
        {"endpoint_url": "http://127.0.0.1:9000"},  # an S3-compatible server: path style
        {"region_name": "eu-west-1"},  # AWS: virtual-host style
        {"bucket_name": "media.luxyhome.example", "region_name": "eu-west-1"},  # dotted: path style
    ],
)
def test_image_urls_are_the_plain_urls_boto3_gives(monkeypatch, where):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    try:  # the options a deployment gets, with each kind of server
        options = {**importlib.reload(project_settings).STORAGES["default"]["OPTIONS"], **where}
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
    keys = ["products/emerald-velvet_sofa.2.jpg", "products/Émeraude (2) 50%+x.jpg"]

    assert [PublicS3Storage(**options).url(key) for key in keys] == [S3Storage(**options).url(key) for key in keys]


def test_settings_switch_media_to_s3(s3_media, settings):
    assert settings.STORAGES["default"]["BACKEND"] == "luxyhome.storage.PublicS3Storage"


def test_product_image_upload_lands_in_the_bucket(s3_media, s3_client, s3_endpoint, staff_client):
    CategoryFactory(slug="sofas")

    response = staff_client.post(
        "/api/products",
        {"name": "Emerald Velvet Sofa", "price": "4200.00", "category": "sofas", "image": image_upload("emerald.jpg")},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    key = Product.objects.get().image.name
    assert key.startswith("products/")
    stored = s3_client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert stored[:2] == b"\xff\xd8"  # a JPEG, as re-encoded before it was stored
    image_url = response.json()["image_url"]
    assert image_url == f"{s3_endpoint}/{BUCKET}/{key}"
    with urllib.request.urlopen(image_url, timeout=5) as served:
        assert served.read() == stored
