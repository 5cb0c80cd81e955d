"""Checking uploaded documents by their content, and making them safe to keep.

A document is a PDF, JPEG or PNG, recognised by its bytes, whose file name agrees with what it is.
Images are decoded and written again by Pillow: what is stored is never the uploaded bytes, so
metadata (GPS), comments, trailing payloads and polyglots do not survive. PDFs cannot be rewritten
here, so they are checked for structure and refused when they carry scripts, launch actions or
attachments, whether written plainly or inside compressed object streams (PDF 1.5 and later).
"""

import hashlib
import io
import re
import warnings
import zlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from odop_bazaar.services.images import opaque_8bit


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
_PDF_DANGER = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|FileAttachment|RichMedia|XFA)\b")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_PDF_FILTER = re.compile(rb"/Filter\s*(/\w+|\[[^\]]*\])")
# Decompressed object-stream bytes looked at per upload: far above any real document's, and a
# bound on what a deflate bomb can cost.
_PDF_UNPACK_LIMIT = 32 * 1024 * 1024


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


def _pdf_damaged() -> DocumentRefused:
    return DocumentRefused(_l("This PDF is damaged or incomplete. Save it again and upload the "
                              "new file."))


def _unescape_names(data: bytes) -> bytes:
    # PDF names may hide letters as #xx escapes (/J#61vaScript); undo them before looking.
    return _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), data)


def _check_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-2048:] or b"obj" not in data:
        raise _pdf_damaged()
    plain = _unescape_names(data)
    # Since PDF 1.5 dictionaries (actions among them) may sit in compressed object streams, so
    # those are unpacked and read too. Not read: the object streams of an encrypted PDF (a bank
    # statement with an owner password is one), nor anything a hand-made file hides from a
    # reading this simple. Documents are only ever served with a sandboxing
    # Content-Security-Policy, which stops scripts that slip through.
    if _PDF_DANGER.search(plain) or any(
            _PDF_DANGER.search(_unescape_names(content))
            for content in _pdf_object_streams(data, encrypted=b"/Encrypt" in plain)):
        raise DocumentRefused(_l("This PDF contains scripts or attachments, which we do not "
                                 "accept. Print it to a new PDF, or upload a photo of the "
                                 "document."))
    return data


def _pdf_object_streams(data: bytes, *, encrypted: bool):
    """The unpacked contents of the PDF's compressed object streams, one at a time.

    Raises:
        DocumentRefused: an object stream that cannot be unpacked, or that unpacks to too much.
    """
    budget = _PDF_UNPACK_LIMIT
    view = memoryview(data)
    for match in _PDF_STREAM.finditer(data):
        # This stream's dictionary: what follows the "12 0 obj" that opens it.
        window = data[max(0, match.start() - 2048):match.start()]
        headers = list(_PDF_OBJECT.finditer(window))
        head = _unescape_names(window[headers[-1].end():] if headers else window)
        filters = _PDF_FILTER.search(head)
        if (b"/ObjStm" not in head and b"/First" not in head) or filters is None:
            continue  # not an object stream, or one stored plainly (read with the rest)
        if re.findall(rb"/(\w+)", filters.group(1)) not in ([b"FlateDecode"], [b"Fl"]) or \
                b"/Predictor" in head:
            raise _pdf_damaged()  # unusual for object streams, and would hide what is inside
        # Unpack until the compressed data itself ends: /Length may lie, and readers differ on
        # whether they believe it. Small pieces keep a bomb's cost near the budget.
        unpack, pieces, position = zlib.decompressobj(), [], match.end()
        try:
            while not unpack.eof and position < len(data):
                pieces.append(unpack.decompress(view[position:position + 8192]))
                position += 8192
                budget -= len(pieces[-1])
                if budget < 0:
                    raise _pdf_damaged()  # a deflate bomb
        except zlib.error as error:
            if encrypted:
                continue  # ciphertext: only the reader's password turns it back into objects
            raise _pdf_damaged() from error
        yield b"".join(pieces)


def _rewrite_image(data: bytes, content_type: str) -> bytes:
    max_pixels = current_app.config["DOCUMENT_MAX_PIXELS"]
    # Only the parser for what the bytes said: otherwise Pillow tries each of its formats in turn,
    # and a file that starts like a JPEG could be decoded as, say, a Kodak PhotoCD.
    kind = [_KIND_NAMES[content_type]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=kind) as probe:
                width, height = probe.size
                if width * height > max_pixels:
                    raise DocumentRefused(_l(
                        "This image is too large (%(w)d × %(h)d pixels). Take the photo at a "
                        "lower resolution.", w=width, h=height))
                probe.verify()
            with Image.open(io.BytesIO(data), formats=kind) as image:
                image.load()
                image = opaque_8bit(ImageOps.exif_transpose(image))
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                # A fresh file with no metadata at all: Pillow would write some of .info back
                # (a JPEG comment, a PNG's colour profile and transparency).
                image.info = {}
                out = io.BytesIO()
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
