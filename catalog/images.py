"""What a product image upload may be, and what is stored of it: for the API and the admin alike."""

import io

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

# the formats accepted, each stored under its own extension
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
SAVE_OPTIONS = {"JPEG": {"quality": 90}, "PNG": {}, "WEBP": {"quality": 90}}

NOT_AN_IMAGE = "Upload a JPEG, PNG or WebP image."
TOO_MANY_PIXELS = "An image may be at most 40 megapixels."


def product_image_clean(upload: File) -> ContentFile:
    """The upload as it is stored: re-encoded by Pillow, so no metadata (EXIF, GPS) nor anything
    after the image is kept, turned as its EXIF orientation says, and named with the extension of
    the format Pillow found (never the client's).

    Raises ValidationError: not a JPEG, PNG or WebP, over 10 MB or 40 megapixels, or broken.
    """
    if upload.size > MAX_BYTES:
        raise ValidationError("An image may be at most 10 MB.")
    upload.seek(0)
    try:
        image = Image.open(upload)  # reads the header only: the size is known before any pixel is decoded
    # Pillow's own limits, far above ours (the warning where warnings are errors)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(TOO_MANY_PIXELS) from error
    except Exception as error:  # Pillow raises many kinds for what is not an image
        raise ValidationError(NOT_AN_IMAGE) from error
    with image:
        if image.format not in EXTENSIONS:
            raise ValidationError(NOT_AN_IMAGE)
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(TOO_MANY_PIXELS)
        extension = EXTENSIONS[image.format]
        try:
            content = _reencoded(image)
        except Exception as error:  # truncated or corrupt pixel data: OSError, SyntaxError, ValueError...
            raise ValidationError("This image is damaged; export it again and upload that.") from error
    return ContentFile(content, name=f"image.{extension}")


def _reencoded(image: Image.Image) -> bytes:
    # turned upright while the EXIF orientation is still there to say how
    ImageOps.exif_transpose(image, in_place=True)
    # only what the pixels need carries over: the colour profile and PNG transparency, no metadata
    kept = {key: image.info[key] for key in ("icc_profile", "transparency") if key in image.info}
    image.info = kept
    buffer = io.BytesIO()
    image.save(buffer, format=image.format, **SAVE_OPTIONS[image.format], **kept)
    return buffer.getvalue()
