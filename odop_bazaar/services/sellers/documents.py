"""Checking uploaded documents by their content, and making them safe to keep.

A document is a PDF, JPEG or PNG, recognised by its bytes, whose file name agrees with what it is.
What is stored is never the uploaded bytes. Images are decoded and written again by Pillow, so
metadata (GPS), comments, trailing payloads and polyglots do not survive. PDFs are opened by qpdf
(through pikepdf), which resolves what a reader would (compressed object streams, indirect
filters, names written with escapes); every action, script and XFA form is taken out, and the copy
qpdf writes is kept. What cannot be cleaned is refused: a damaged or password-protected PDF, one
with files attached, one with too many pages or that unpacks to too much.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

import pikepdf
from flask import current_app
from flask_babel import lazy_gettext as _l
from pikepdf import Array, Dictionary, Name
from pikepdf.settings import set_qpdf_limits
from PIL import Image, ImageOps, UnidentifiedImageError

from odop_bazaar.services.catalogue.images import opaque_8bit
from odop_bazaar.services.errors import DomainError


class DocumentRefused(DomainError):
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
# Decompressed object-stream bytes allowed per upload: far above any real document's, and a
# bound on what a deflate bomb can cost.
_PDF_UNPACK_LIMIT = 32 * 1024 * 1024
_PDF_MOST_OBJECTS = 50_000
# qpdf's own decoders stop at the same size, for what it unpacks before the budget is counted
# (cross-reference streams). These limits are process-wide; nothing else here uses pikepdf.
set_qpdf_limits(flate_max_memory=_PDF_UNPACK_LIMIT, png_max_memory=_PDF_UNPACK_LIMIT,
                tiff_max_memory=_PDF_UNPACK_LIMIT, run_length_max_memory=_PDF_UNPACK_LIMIT)


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
            damaged, an image too large in pixels, a PDF protected with a password, with
            files attached or with too many pages.
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
        clean = _clean_pdf(data)
    else:
        clean = _rewrite_image(data, content_type)
    return CleanDocument(clean, content_type, hashlib.sha256(clean).hexdigest())


def _pdf_damaged() -> DocumentRefused:
    return DocumentRefused(_l("This PDF is damaged or incomplete. Save it again and upload the "
                              "new file."))


def _clean_pdf(data: bytes) -> bytes:
    """A copy of the PDF written afresh by qpdf, with every action and script taken out.

    Raises:
        DocumentRefused: damaged or incomplete, protected with a password, too many pages,
            object streams that unpack to too much, or files attached.
    """
    # A file cut short in the upload can still be opened (qpdf rebuilds what it can), but it
    # may have lost pages without anyone noticing: refuse it before parsing.
    if b"%%EOF" not in data[-2048:]:
        raise _pdf_damaged()
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as error:
        raise _pdf_protected() from error
    except pikepdf.PdfError as error:
        raise _pdf_damaged() from error
    try:
        with pdf:
            # Refused, not decrypted: even with only an owner password (opened here without
            # one) a copy stripped of the issuer's protection is not ours to keep.
            if pdf.is_encrypted:
                raise _pdf_protected()
            _check_unpacked_size(pdf)
            pages = len(pdf.pages)
            if pages == 0:
                raise _pdf_damaged()
            most = current_app.config["DOCUMENT_MAX_PAGES"]
            if pages > most:
                raise DocumentRefused(_l(
                    "This PDF has %(pages)d pages. Upload only the pages we ask for, at most "
                    "%(most)d.", pages=pages, most=most))
            _remove_active_content(pdf)
            out = io.BytesIO()
            # Objects written plainly (no object streams) and stream data copied as it is, not
            # decoded: qpdf does no more unpacking than reading the objects needed, which the
            # budget above has bounded, and page contents keep their exact bytes.
            with warnings.catch_warnings():
                # pikepdf's advice about the seller's document (a form field not in its form),
                # which is about Acrobat's display and nothing to act on here.
                warnings.simplefilter("ignore", pikepdf.PikepdfWarning)
                pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                         stream_decode_level=pikepdf.StreamDecodeLevel.none,
                         deterministic_id=True)
            return out.getvalue()
    except pikepdf.PdfError as error:
        raise _pdf_damaged() from error


def _pdf_protected() -> DocumentRefused:
    return DocumentRefused(_l("This PDF is protected with a password. Save or print it as a "
                              "new PDF without a password, and upload that."))


def _check_unpacked_size(pdf: pikepdf.Pdf) -> None:
    """Unpack each compressed object stream once, within one budget for the whole file.

    qpdf unpacks an object stream whole when it first needs an object from it, and keeps what it
    parsed; its own Flate limit (set above) stops any one stream, this stops many of them.

    Raises:
        DocumentRefused: too many objects, an object stream with unusual filters, or too
            much unpacked.
    """
    budget = _PDF_UNPACK_LIMIT
    table = pdf.get_xref_table()
    # Every object is looked at in Python, some 45 µs each: a few tiny objects packed by the
    # million would cost minutes. Real documents have hundreds, or some thousands when tagged.
    if len(table) > _PDF_MOST_OBJECTS:
        raise DocumentRefused(_l("This PDF is too complex for us to check. Print it to a new "
                                 "PDF, or upload a photo of the document."))
    containers = {entry.obj_stream_number for entry in table.values() if entry.type == 2}
    for number in sorted(containers):
        stream = pdf.get_object(number, 0)
        if not isinstance(stream, pikepdf.Stream):
            raise _pdf_damaged()
        filters = stream.get(Name.Filter)
        filters = list(filters) if isinstance(filters, Array) else [filters]
        # Flate alone is what writers use; LZW has no memory limit in qpdf, and predictors or
        # chains only hide what is inside.
        if filters not in ([Name.FlateDecode], [None]) or Name.DecodeParms in stream:
            raise _pdf_damaged()
        budget -= len(stream.read_bytes())
        if budget < 0:
            raise _pdf_damaged()  # a deflate bomb


# Every kind of action but a go-to within the document: scripts, links out (/URI), files opened
# or fetched (/Launch, /GoToR, /GoToE, /ImportData), forms sent (/SubmitForm), media, and the
# rest, which a document kept for staff to read has no use for.
_ACTIONS = frozenset(Name("/" + kind) for kind in (
    "JavaScript", "Launch", "SubmitForm", "ResetForm", "ImportData", "GoToR", "GoToE", "GoToDp",
    "URI", "Rendition", "Movie", "Sound", "Hide", "Named", "SetOCGState", "Thread", "Trans",
    "GoTo3DView", "RichMediaExecute"))
# Annotations that play media, Flash or 3D, each with scripts and players of their own.
_MEDIA_ANNOTATIONS = frozenset(Name("/" + kind) for kind in (
    "Screen", "Movie", "Sound", "RichMedia", "3D"))
# Keys removed wherever they are: additional actions (/AA: on opening, closing, printing, on a
# page, a field, a key stroke), the document's scripts (/JavaScript in the names dictionary, /JS
# in an action), the XFA form that a reader may show instead of the pages (and run scripts in),
# and the other ways a document starts something on opening.
_REMOVED_KEYS = (Name.AA, Name.JS, Name.JavaScript, Name.XFA, Name.OpenAction,
                 Name.NeedsRendering, Name.AlternatePresentations, Name.Renditions,
                 Name.Collection)

# A dictionary is cleaned only if it holds one of these.
_LOOKED_AT = frozenset(str(key) for key in (
    Name.EF, Name.EmbeddedFiles, Name.FS, Name.S, Name.A, Name.URI, Name.Annots, *_REMOVED_KEYS))


def _pdf_attachments() -> DocumentRefused:
    return DocumentRefused(_l("This PDF has files attached to it, which we do not accept. Print "
                              "it to a new PDF, or upload a photo of the document."))


def _remove_active_content(pdf: pikepdf.Pdf) -> None:
    """Take every action and script out of the document, wherever it sits.

    Every object is looked at, not only the places a reader is known to look, so an action hung
    somewhere unusual goes too; what is left of the document (pages, text, images, fonts,
    bookmarks and links within it) is untouched.

    Raises:
        DocumentRefused: the document has files attached.
    """
    seen: set[tuple[int, int]] = set()
    stack = [pdf.trailer, *(item for item in pdf.objects
                            if isinstance(item, (Array, Dictionary, pikepdf.Stream)))]
    while stack:
        item = stack.pop()
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, Array):
            stack.extend(value for value in item if isinstance(value, (Array, Dictionary)))
        elif isinstance(item, (Dictionary, pikepdf.Stream)):
            keys = item.keys()
            if not keys.isdisjoint(_LOOKED_AT):  # most objects hold none: skip them quickly
                _clean_dictionary(item)
                keys = item.keys()
            stack.extend(value for value in map(item.get, keys)
                         if isinstance(value, (Array, Dictionary)))


def _clean_dictionary(item: pikepdf.Dictionary | pikepdf.Stream) -> None:
    # Refused rather than removed: the seller meant them to be seen, and a copy without them
    # would not be the document they sent. A /FileAttachment names a file even when it holds
    # none (a path on the seller's network).
    if (Name.EF in item or Name.EmbeddedFiles in item
            or (Name.FS in item and item.get(Name.Subtype) == Name.FileAttachment)):
        raise _pdf_attachments()
    kind = item.get(Name.S)
    if isinstance(kind, Name) and kind in _ACTIONS:
        # An action wherever it is found (another object may point at it): emptied.
        for key in list(item.keys()):
            if not isinstance(item, pikepdf.Stream) or key not in ("/Length", "/Filter",
                                                                   "/DecodeParms"):
                del item[key]
        return
    if kind == Name.GoTo and Name.Next in item:
        del item[Name.Next]  # what a go-to chains on runs after it
    for key in _REMOVED_KEYS:
        if key in item:
            del item[key]
    action = item.get(Name.A)
    if isinstance(action, (Dictionary, pikepdf.Stream)) and action.get(Name.S) != Name.GoTo:
        del item[Name.A]  # a link or button that did anything but go to a page
    if isinstance(item.get(Name.URI), Dictionary):
        del item[Name.URI]  # the catalogue's base for relative links, with none left to use it
    annotations = item.get(Name.Annots)
    if isinstance(annotations, Array):
        for index in reversed(range(len(annotations))):
            annotation = annotations[index]
            if isinstance(annotation, Dictionary) and \
                    annotation.get(Name.Subtype) in _MEDIA_ANNOTATIONS:
                del annotations[index]


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
