"""Checking uploaded documents by their content, and making them safe to keep.

A document is a PDF, JPEG or PNG, recognised by its bytes, whose file name agrees with what it is.
Images are decoded and written again by Pillow: what is stored is never the uploaded bytes, so
metadata (GPS), trailing payloads and polyglots do not survive. PDFs cannot be rewritten here, so
they are checked for structure and refused when they carry scripts, launch actions or attachments.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError


class DocumentRefused(Exception):
    """The upload is not an acceptable document; str() is a message for the person."""


@dataclass(frozen=True)
class CleanDocument:
    data: bytes
    content_type: str
    sha256: str


_EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
}
_KIND_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
_PDF_DANGER = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def check_document(filename: str, data: bytes) -> CleanDocument:
    """Check an upload and return what may be stored.

    Raises:
        DocumentRefused: empty, too large, not a PDF/JPEG/PNG, named as something it is not,
            damaged, an image too large in pixels, or a PDF with active content.
    """
    limit = current_app.config["DOCUMENT_MAX_BYTES"]
    if not data:
        raise DocumentRefused(_l("The file is empty. Choose the document again."))
    if len(data) > limit:
        raise DocumentRefused(_l("The file is larger than %(mb)d MB. Scan or photograph it at a "
                                 "lower size, or save it as a smaller PDF.",
                                 mb=limit // (1024 * 1024)))
    content_type = _sniff(data)
    if content_type is None:
        raise DocumentRefused(_l("This file is not a PDF, JPEG or PNG. Upload the document as "
                                 "one of those."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension and extension not in _EXTENSIONS[content_type]:
        raise DocumentRefused(_l(
            "This file's name ends in .%(ext)s but it is a %(kind)s. Save it with the right "
            "type and upload it again.", ext=extension[:10], kind=_KIND_NAMES[content_type]))
    if content_type == "application/pdf":
        clean = _check_pdf(data)
    else:
        clean = _rewrite_image(data, content_type)
    return CleanDocument(clean, content_type, hashlib.sha256(clean).hexdigest())


def _check_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-2048:] or b"obj" not in data:
        raise DocumentRefused(_l("This PDF is damaged or incomplete. Save it again and upload "
                                 "the new file."))
    # PDF names may hide letters as #xx escapes (/J#61vaScript); undo them before looking.
    # Content inside compressed object streams is not inspected: documents are only ever served
    # with a sandboxing Content-Security-Policy, which stops scripts that slip through.
    plain = _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), data)
    if _PDF_DANGER.search(plain):
        raise DocumentRefused(_l("This PDF contains scripts or attachments, which we do not "
                                 "accept. Print it to a new PDF, or upload a photo of the "
                                 "document."))
    return data


def _rewrite_image(data: bytes, content_type: str) -> bytes:
    max_pixels = current_app.config["DOCUMENT_MAX_PIXELS"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > max_pixels:
                    raise DocumentRefused(_l(
                        "This image is too large (%(w)d × %(h)d pixels). Take the photo at a "
                        "lower resolution.", w=width, h=height))
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                out = io.BytesIO()
                # A fresh file with no metadata at all.
                if content_type == "image/png":
                    image.save(out, format="PNG", optimize=True)
                else:
                    image.save(out, format="JPEG", quality=90)
                return out.getvalue()
    except DocumentRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise DocumentRefused(_l("This image is too large. Take the photo at a lower "
                                 "resolution.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise DocumentRefused(_l("This image is damaged or incomplete. Take the photo again "
                                 "and upload the new file.")) from error
