"""The product photo pipeline: check an upload, make it safe, and write the sizes pages need.

Accepts JPEG, PNG, WebP and HEIC/HEIF (an iPhone camera's own format) recognised by their bytes.
Refuses anything else, files over the size limit, images over the pixel limit (decompression
bombs), truncated files and animations. Applies the EXIF orientation (a HEIF's own rotation),
drops all metadata (a photo taken at home carries the artisan's GPS position), converts to sRGB,
and writes WebP and JPEG at 1600, 800 and 320 pixels on the long side.

Speed (a 12 MP phone photo must not make the upload slow): JPEGs are decoded at reduced size
(Pillow's draft mode asks libjpeg for a 1/2, 1/4 or 1/8 scale decode that is still at least as
large as the biggest output), each smaller size is resized from the one above it (a cascade), and
encoders use settings chosen in bench/ for speed without visible loss.
"""

import hashlib
import io
import math
import warnings
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, UnidentifiedImageError
from pillow_heif import register_heif_opener

from odop_bazaar.services.errors import DomainError, FieldErrors

SIZES = (1600, 800, 320)
FORMATS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))
ACCEPTED = {"JPEG", "PNG", "WEBP", "HEIF"}
WEBP_OPTIONS = {"quality": 80, "method": 2}
# Baseline JPEG: progressive encoding costs five times as much here and only helps slow
# connections a little, and WebP is what most phones download anyway.
JPEG_OPTIONS = {"quality": 82, "optimize": False}
_SRGB = ImageCms.createProfile("sRGB")
_DAMAGED = _l("This photo is damaged or incomplete. Choose it again, or take a new one.")
# HEIF brands of HEVC-coded stills (an iPhone writes 'heic'). The general 'mif1'/'msf1' brands
# count only when a file also names one of these: an AVIF says 'mif1' too.
_HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}

# Thumbnails, depth maps and other auxiliary images are never shown: not decoding them saves
# memory, and nothing of them can end up in what is stored.
register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)


class PhotoRefused(DomainError):
    """The upload is not an acceptable photo; str() is a message for the person, `code` the
    reason kept on a photo that failed in the background (models.catalogue.PhotoFailure)."""

    def __init__(self, message, code: str = "damaged") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Variant:
    size: int  # the long side asked for (the image may be smaller if the original was)
    extension: str
    content_type: str
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class ProcessedPhoto:
    digest: str  # sha256 of the uploaded bytes: the same photo uploaded twice is stored once
    width: int
    height: int
    variants: tuple[Variant, ...]

    def key(self, variant: Variant) -> str:
        return f"photos/{self.digest[:2]}/{self.digest}-{variant.size}.{variant.extension}"


@dataclass(frozen=True)
class PhotoUpload:
    """A file someone sent: its name (for messages) and its bytes."""

    filename: str
    data: bytes


def process_uploads(uploads) -> list[ProcessedPhoto]:
    """Every upload through process_photo, or FieldErrors naming each refused file and why (the
    listing, review and return forms all say it beside their photos field)."""
    processed, problems = [], []
    for upload in uploads:
        try:
            processed.append(process_photo(upload.data))
        except PhotoRefused as error:
            problems.append(f"{upload.filename[:60]}: {error}")
    if problems:
        raise FieldErrors({"photos": " ".join(problems)})
    return processed


def check_uploads(uploads) -> None:
    """The cheap part of process_photo for every upload (size, format, header, pixels, frames),
    nothing decoded: FieldErrors naming each refused file and why, as process_uploads does.
    What only decoding finds (a truncated file) is left to the background job."""
    if problems := upload_refusals(uploads):
        raise FieldErrors({"photos": " ".join(problems.values())})


def upload_refusals(uploads) -> dict[int, str]:
    """check_photo() of each upload: the position of each refused one -> "name: why"."""
    problems = {}
    for position, upload in enumerate(uploads):
        try:
            check_photo(upload.data)
        except PhotoRefused as error:
            problems[position] = f"{upload.filename[:60]}: {error}"
    return problems


def check_photo(data: bytes) -> None:
    """Refuse what can be told from the bytes and the header alone, in milliseconds.

    Raises:
        PhotoRefused.
    """
    config = current_app.config
    kind = _accepted_kind(data, config)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                _check_shape(image, config)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRefused(_l("This photo is too large in pixels."), "too_many_pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise PhotoRefused(_DAMAGED) from error


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":  # an ISO media file: its first box lists the brands it follows
        size = int.from_bytes(data[:4], "big")
        major = data[8:12]
        compatible = {data[n:n + 4] for n in range(16, min(size, 256), 4)}
        if major in _HEVC_BRANDS or (major in (b"mif1", b"msf1") and compatible & _HEVC_BRANDS):
            return "HEIF"
    return None


def process_photo(data: bytes) -> ProcessedPhoto:
    """Check a photo and produce every size and format, without metadata.

    Raises:
        PhotoRefused: with a message that says what is wrong; nothing is kept.
    """
    config = current_app.config
    kind = _accepted_kind(data, config)
    image, orientation, icc = _decode(data, kind, config)
    image = _to_srgb(image, icc)
    image = _upright(image, orientation)
    # Pillow writes parts of .info back when it saves (a JPEG comment, where a polyglot keeps
    # its HTML): the variants are made from the pixels alone.
    image.info = {}
    variants = _variants(image)
    largest = variants[0]
    return ProcessedPhoto(hashlib.sha256(data).hexdigest(), largest.width, largest.height,
                          variants)


def _accepted_kind(data: bytes, config) -> str:
    """The file's format, from its bytes, if it is one we take and not too big to read."""
    if not data:
        raise PhotoRefused(_l("The file is empty. Choose the photo again."), "empty")
    if len(data) > config["PHOTO_MAX_BYTES"]:
        raise PhotoRefused(_l("The photo is larger than %(mb)d MB. Choose a smaller one.",
                              mb=config["PHOTO_MAX_BYTES"] // (1024 * 1024)), "too_big")
    kind = _sniff(data)
    if kind is None:
        raise PhotoRefused(_l("This is not a JPEG, PNG, WebP or HEIC photo."), "not_image")
    return kind


def _decode(data: bytes, kind: str, config) -> tuple[Image.Image, int, bytes | None]:
    """The decoded image, its EXIF orientation and its colour profile.

    The size is checked from the header, before the pixels are decoded.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind])
            _check_shape(image, config)
            # A HEIF's rotation is in its container and libheif applies it; pillow_heif then
            # sets the EXIF orientation to 1, so it is not applied twice.
            orientation = image.getexif().get(0x0112, 1)
            icc = image.info.get("icc_profile")
            if kind == "JPEG":
                _decode_at_reduced_size(image)
            image.load()
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRefused(_l("This photo is too large in pixels."), "too_many_pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise PhotoRefused(_DAMAGED) from error
    return image, orientation, icc


def _check_shape(image: Image.Image, config) -> None:
    """Refuse images with too many pixels, animations and photos too small to show."""
    width, height = image.size
    if width * height > config["PHOTO_MAX_PIXELS"]:
        raise PhotoRefused(_l(
            "This photo is too large (%(w)d × %(h)d pixels). Use one of at most "
            "%(mp)d megapixels.", w=width, h=height,
            mp=config["PHOTO_MAX_PIXELS"] // 1_000_000), "too_many_pixels")
    if getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1:
        raise PhotoRefused(_l("Animated images cannot be used. Choose a still photo."),
                           "animated")
    if min(width, height) < config["PHOTO_MIN_SIDE"]:
        raise PhotoRefused(_l("This photo is too small: use one at least %(n)d pixels "
                              "on each side.", n=config["PHOTO_MIN_SIDE"]), "too_small")


def _decode_at_reduced_size(image: Image.Image) -> None:
    """Ask libjpeg to decode at the smallest scale (1/2, 1/4, 1/8) whose long side still
    covers the largest output."""
    width, height = image.size
    scale = SIZES[0] / max(width, height)
    if scale < 1:
        # draft() wants both sides, so ask in the photo's own shape.
        image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))


def _variants(image: Image.Image) -> tuple[Variant, ...]:
    """Every size and format, each smaller size resized from the one above it."""
    variants = []
    current = image
    for size in SIZES:
        if max(current.size) > size:
            current = current.copy()
            # reducing_gap makes the big first step much faster at no visible cost.
            current.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for extension, pil_format, content_type in FORMATS:
            out = io.BytesIO()
            options = WEBP_OPTIONS if pil_format == "WEBP" else JPEG_OPTIONS
            current.save(out, format=pil_format, **options)  # no exif=, no icc_profile=
            variants.append(Variant(size, extension, content_type, current.width,
                                    current.height, out.getvalue()))
    return tuple(variants)


def opaque_8bit(image: Image.Image) -> Image.Image:
    """The image in 8 bits per channel with any transparency flattened onto white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale PNG: scale to 8 bits rather than clip (clipping turns it white).
        image = image.point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Flatten onto white: white is white in every RGB colour space, and dropping the alpha
        # would instead leave a black background (often under black text).
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    return image


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """An 8-bit RGB image in sRGB, with transparency flattened onto white."""
    image = opaque_8bit(image)
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode not in ("RGB", "CMYK", "L"):
                image = image.convert("RGB")
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to a plain conversion
    return image.convert("RGB") if image.mode != "RGB" else image


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    method = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}.get(orientation)
    return image.transpose(method) if method else image

