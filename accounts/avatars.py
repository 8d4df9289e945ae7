"""Avatar images: checked by content (not by name), re-encoded without metadata, stored in fixed sizes."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# A small file can decode to a huge bitmap; refuse it before resizing spends the memory.
MAX_PIXELS = 40_000_000


def validate_avatar(upload) -> None:
    if upload.size > settings.AVATAR_MAX_BYTES:
        raise ValidationError("That photo is larger than 2 MB. Please choose a smaller one.")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt, (width, height) = image.format, image.size
            image.verify()
    except Image.DecompressionBombError as exc:
        raise ValidationError("That photo has too many pixels. Please choose a smaller one.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(
            "That file is not an image we can read. Use a JPEG, PNG or WebP photo."
        ) from exc
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError("Use a JPEG, PNG or WebP photo.")
    if width * height > MAX_PIXELS:
        raise ValidationError("That photo has too many pixels. Please choose a smaller one.")


# Which part of a photo that is not square is kept (the member chooses; Pillow's `centering`).
CROPS = {
    "center": ("The middle", (0.5, 0.5)),
    "top": ("The top (a face in a tall photo)", (0.5, 0.0)),
    "bottom": ("The bottom", (0.5, 1.0)),
    "left": ("The left side", (0.0, 0.5)),
    "right": ("The right side", (1.0, 0.5)),
}


def square_sizes(upload, crop: str = "center") -> dict[int, ContentFile]:
    """Return {size: JPEG file} for each of AVATAR_SIZES, cropped to a square keeping the `crop` part
    (CROPS). Re-encoding drops EXIF and GPS data."""
    centering = CROPS.get(crop, CROPS["center"])[1]
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        files = {}
        token = uuid.uuid4().hex[:12]
        for size in settings.AVATAR_SIZES:
            square = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS, centering=centering)
            buffer = io.BytesIO()
            square.save(buffer, format="JPEG", quality=85, optimize=True)
            files[size] = ContentFile(buffer.getvalue(), name=f"{token}-{size}.jpg")
    return files
