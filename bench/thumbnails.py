"""Thumbnail throughput: the images processor against a plain Pillow loop on the same files."""

import io
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageOps

from bench import Result, figure

SIZES = (1920, 960, 320)
PHOTO = (2400, 1800)  # a phone photo, scaled down so the small run stays quick


def _photos(folder: Path, count: int) -> list[Path]:
    paths = []
    for index in range(count):
        image = Image.linear_gradient("L").resize(PHOTO).convert("RGB")
        image.paste((index * 37 % 255, 90, 160), (index * 10, 100, index * 10 + 400, 900))
        exif = Image.Exif()
        exif[0x0112] = 6  # rotated, as phones record it
        path = folder / f"photo-{index}.jpg"
        image.save(path, "JPEG", quality=88, exif=exif)
        paths.append(path)
    return paths


def plain_pillow(path: Path) -> None:
    """The floor: the same renditions with nothing but Pillow (no checks, no metadata)."""
    image = Image.open(path)
    image.draft("RGB", (SIZES[0], SIZES[0]))
    image = ImageOps.exif_transpose(image.convert("RGB"))
    for side in SIZES:
        image.thumbnail((side, side), Image.Resampling.LANCZOS if side <= 320 else Image.BICUBIC)
        image.save(io.BytesIO(), "WEBP", quality=80, method=4)


def _throughput(function, paths: list[Path], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for path in paths:
            function(path)
        best = min(best, time.perf_counter() - started)
    return len(paths) / best


@figure("thumbnail throughput", order=40)
def thumbnail_throughput(context) -> Result:
    from django.conf import settings

    if not settings.configured:  # the processor needs settings only for its limits and messages
        settings.configure(USE_I18N=False)
    from medias.processors import images

    count = 4 if context.get("scale") == "small" else 30
    with tempfile.TemporaryDirectory() as folder:
        paths = _photos(Path(folder), count)
        ours = _throughput(images.process, paths)
        floor = _throughput(plain_pillow, paths)
    return Result(
        name="thumbnail throughput (images/s)",
        value=ours,
        floor=floor,
        unit="/s",
        kind="min",
        target=0.7,
        notes=f"{count} JPEGs of {PHOTO[0]}x{PHOTO[1]}, three WebP sizes, best of 3",
    )
