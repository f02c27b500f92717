"""Images: size checked before decoding, orientation applied, EXIF/GPS-free WebP thumbnails."""

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.utils.translation import gettext_noop
from PIL import ExifTags, Image, ImageFile, ImageOps, UnidentifiedImageError

from .. import conf
from . import Derived, Output, ProcessingError, Progress, no_progress

# Longest side of each public rendition, in pixels.
SIZES = {"thumb-small": 320, "thumb-medium": 960, "thumb-large": 1920}
WEBP_QUALITY = 80
BOMB = gettext_noop("The image declares too many pixels to be decoded safely.")
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "TIFF", "MPO"}


def open_checked(path: Path) -> Image.Image:
    """Open an image, refusing what it declares before any pixel is decoded."""
    try:
        image = Image.open(path)
    except (UnidentifiedImageError, OSError) as exc:
        raise ProcessingError(
            gettext_noop("This is not a readable image."), detail=str(exc)
        ) from None
    except Image.DecompressionBombError:
        raise ProcessingError(BOMB) from None
    if image.format not in FORMATS:
        raise ProcessingError(
            gettext_noop("Images in %(format)s are not accepted."), format=image.format
        )
    width, height = image.size
    if width * height > conf.max_image_pixels():
        raise ProcessingError(
            gettext_noop(
                "The image declares %(w)s × %(h)s pixels, more than the %(max)s million allowed."
            ),
            w=width,
            h=height,
            max=conf.max_image_pixels() // 1_000_000,
        )
    return image


@contextmanager
def _truncated_images_refused() -> Iterator[None]:
    """Decode strictly, whatever the rest of the process asked of Pillow.

    `ImageFile.LOAD_TRUNCATED_IMAGES` is a process-wide switch, and WeasyPrint turns it on when
    it is imported (PDF exports, reports): after that, a truncated upload would decode as grey
    pixels and be published as a thumbnail instead of failing.
    """
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _exif_summary(image: Image.Image) -> dict:
    exif = image.getexif()
    return {
        "had_exif": bool(exif),
        "had_gps": ExifTags.IFD.GPSInfo in exif,
        "orientation": exif.get(ExifTags.Base.Orientation, 1),
    }


def process(path: Path, progress: Progress = no_progress, context: dict | None = None) -> Output:
    image = open_checked(Path(path))
    metadata = {"format": image.format, **_exif_summary(image)}
    width, height = image.size
    if metadata["orientation"] in (5, 6, 7, 8):  # a quarter turn swaps the sides
        width, height = height, width
    metadata.update(width=width, height=height)
    progress(10, gettext_noop("Decoding the image"))
    try:
        with warnings.catch_warnings(), _truncated_images_refused():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # JPEG can decode at a reduced scale: no need for every pixel of a 24 Mpx photo.
            image.draft("RGB", (max(SIZES.values()),) * 2)
            image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise ProcessingError(
            gettext_noop("The image is damaged or truncated."), detail=str(exc)
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ProcessingError(BOMB) from None
    # Orientation applied, then every tag dropped: the renditions carry pixels only.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert(
            "RGBA" if "transparency" in image.info or "A" in image.mode else "RGB"
        )
    derived = []
    for index, (name, side) in enumerate(sorted(SIZES.items(), key=lambda item: -item[1])):
        progress(30 + 20 * index, gettext_noop("Making the %(side)s-pixel thumbnail"), side=side)
        image.thumbnail((side, side), Image.Resampling.LANCZOS if side <= 320 else Image.BICUBIC)
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        derived.append(
            Derived(
                name,
                buffer.getvalue(),
                "image/webp",
                public=True,
                metadata={"width": image.width, "height": image.height},
            )
        )
    progress(95, gettext_noop("Thumbnails made"))
    return Output(metadata=metadata, derived=derived)
