"""Throughput of the product photo pipeline on 12 MP phone-like JPEGs, on one core.

Run: .venv/bin/python bench/photo_pipeline.py [--photos 12] [--megapixels 12]
Reports photos per second for our pipeline and, for comparison, the ordinary one (full decode,
resize every size from the original, same encoders), measured in the same run.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageFilter, ImageOps  # noqa: E402

from config import TestingConfig  # noqa: E402
from odop_bazaar import create_app  # noqa: E402
from odop_bazaar.services.catalogue import images  # noqa: E402


def phone_photo(megapixels: float, seed: int) -> bytes:
    """A JPEG with the detail of a real photo: smooth regions, edges and sensor noise."""
    width = int((megapixels * 1_000_000 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    small = Image.effect_noise((width // 16, height // 16), 60 + seed).convert("RGB")
    base = small.resize((width, height), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((width, height), 12).convert("RGB")
    photo = Image.blend(base, noise, 0.15).filter(ImageFilter.SMOOTH)
    exif = Image.Exif()
    exif[0x0112] = 6  # taken in portrait: must be rotated
    exif[0x8825] = {1: "N", 2: (25.0, 19.0, 4.8), 3: "E", 4: (82.0, 58.0, 24.0)}
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=90, exif=exif)
    return out.getvalue()


def reencode(data: bytes, fmt: str) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(data)).save(out, format=fmt, **({"quality": 90} if fmt == "WEBP" else {}))
    return out.getvalue()


def ordinary_pipeline(data: bytes) -> Image.Image:
    """Full decode, each size resized from the original; returns the 1600 px image."""
    image = Image.open(io.BytesIO(data))
    image.load()
    image = ImageOps.exif_transpose(image).convert("RGB")
    largest = None
    for size in images.SIZES:
        resized = image.copy()
        resized.thumbnail((size, size), Image.Resampling.LANCZOS)
        largest = largest or resized
        for _, pil_format, _ in images.FORMATS:
            options = images.WEBP_OPTIONS if pil_format == "WEBP" else images.JPEG_OPTIONS
            resized.save(io.BytesIO(), format=pil_format, **options)
    return largest


def psnr(a: Image.Image, b: Image.Image) -> float:
    """Peak signal-to-noise ratio in dB; above about 40 dB differences are not visible."""
    import math

    from PIL import ImageChops, ImageStat

    squares = ImageStat.Stat(ImageChops.difference(a, b)).rms
    mse = sum(value * value for value in squares) / len(squares)
    return float("inf") if mse == 0 else 10 * math.log10(255 * 255 / mse)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--megapixels", type=float, default=12)
    parser.add_argument("--format", choices=["JPEG", "PNG", "WEBP"], default="JPEG",
                        help="the uploaded format (phones send JPEG; PNG and WebP for comparison)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    photos = [phone_photo(args.megapixels, seed) for seed in range(args.photos)]
    if args.format != "JPEG":
        photos = [reencode(data, args.format) for data in photos]
    app = create_app(TestingConfig)
    with app.app_context():
        images.process_photo(photos[0])  # warm up
        timings = {}
        for name, run in (("ours", images.process_photo), ("ordinary", ordinary_pipeline)):
            durations = []
            for data in photos:
                start = time.perf_counter()
                run(data)
                durations.append(time.perf_counter() - start)
            timings[name] = durations
        result = images.process_photo(photos[0])
        reference = ordinary_pipeline(photos[0])
        ours_1600 = Image.open(io.BytesIO(next(
            v.data for v in result.variants if v.size == 1600 and v.extension == "jpg")))
        # Compare the resized pixels before encoding, so only the pipeline differs.
        reference_jpeg = io.BytesIO()
        reference.save(reference_jpeg, format="JPEG", **images.JPEG_OPTIONS)
        quality = psnr(ours_1600.convert("RGB"),
                       Image.open(io.BytesIO(reference_jpeg.getvalue())).convert("RGB"))
    size_mb = statistics.mean(len(p) for p in photos) / 1e6
    print(f"{args.photos} photos of {args.megapixels:g} MP ({size_mb:.1f} MB {args.format} each), "
          "one core")
    for name, durations in timings.items():
        print(f"  {name:<9} {len(durations) / sum(durations):5.2f} photos/s   "
              f"median {statistics.median(durations) * 1000:6.0f} ms   "
              f"max {max(durations) * 1000:6.0f} ms")
    total = sum(len(v.data) for v in result.variants)
    print(f"  output: {len(result.variants)} files, {total / 1000:.0f} kB in all, "
          f"largest {result.width}x{result.height}")
    print(f"  1600 px JPEG, ours against the ordinary pipeline's: PSNR {quality:.1f} dB")


if __name__ == "__main__":
    main()
