import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(name: str = "sofa.jpg", image_format: str = "JPEG", size=(32, 24)) -> SimpleUploadedFile:
    """A real image file, as a browser would upload it."""
    return image_file(Image.new("RGB", size, (30, 80, 60)), name, image_format)


def image_file(image: Image.Image, name: str, image_format: str, **options) -> SimpleUploadedFile:
    """`image` saved as an upload named `name`; `options` go to Pillow's save (exif=..., comment=...)."""
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")
