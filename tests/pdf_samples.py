"""Hostile PDFs built from code (packed object streams, files changed with pikepdf), and the look
into a PDF that finds any action, script, XFA form or attached file left in it."""

import io
import itertools
import struct
import zlib
from collections.abc import Callable

import pikepdf
from pikepdf import Array, Dictionary

from tests.factories import make_pdf


def pdf_with_packed_objects(packed: list[list[bytes]], *, catalogue: bytes = b"/OpenAction 4 0 R",
                            stream_extra: bytes = b"", indirect_filter: bool = False,
                            unpacked: Callable[[bytes], bytes] = zlib.compress) -> bytes:
    """A well-formed PDF 1.5, cross-reference stream and all, whose objects from 4 on are kept
    in compressed object streams (one per group): what a reader finds without repairing anything.

    stream_extra goes into each object stream's dictionary before /Filter; with indirect_filter
    the /Filter is a reference to an object holding the name. unpacked packs a stream's bytes.
    """
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> >>"
    plain = [b"<< /Type /Catalog /Pages 2 0 R " + catalogue + b" >>",
             b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page]
    number, where, bodies = len(plain) + 1, {}, list(plain)
    for group in packed:
        numbers = list(range(number, number + len(group)))
        number += len(group)
        starts = itertools.accumulate((len(o) + 1 for o in group[:-1]), initial=0)
        header = b"".join(b"%d %d " % pair for pair in zip(numbers, starts, strict=True))
        data = unpacked(header + b"".join(o + b"\n" for o in group))
        for index, n in enumerate(numbers):
            where[n] = (number, index)
        filter_ref = b"%d 0 R" % (number + 1) if indirect_filter else b"/FlateDecode"
        bodies.append(b"<< /Type /ObjStm /N %d /First %d " % (len(group), len(header))
                      + stream_extra + b" /Filter " + filter_ref + b" /Length %d >>\nstream\n"
                      % len(data) + data + b"\nendstream")
        number += 1
        if indirect_filter:
            bodies.append(b"/FlateDecode")
            number += 1
    out, offsets = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"), {}
    plain_numbers = [n for n in range(1, number) if n not in where]
    for n, body in zip(plain_numbers, bodies, strict=True):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    offsets[number] = len(out)  # the cross-reference stream itself
    rows = [struct.pack(">BIH", 0, 0, 65535)] + [
        struct.pack(">BIH", 2, *where[n]) if n in where else struct.pack(">BIH", 1, offsets[n], 0)
        for n in range(1, number + 1)]
    table = b"".join(rows)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
            % (number, number + 1, len(table)) + table + b"\nendstream\nendobj\n")
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % offsets[number])


def with_pikepdf(change: Callable[[pikepdf.Pdf], None], *, text: str = "PAN card",
                 **save) -> bytes:
    """The one-page specimen PDF, changed by pikepdf and saved by it: a real, valid file."""
    with pikepdf.open(io.BytesIO(make_pdf(text))) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, **save)
        return out.getvalue()


ACTIVE_KEYS = {"/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/EF", "/XFA"}
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/GoToR", "/GoToE", "/URI",
                  "/ImportData", "/Rendition"}


def active_content(pdf: pikepdf.Pdf) -> list[str]:
    """Every action, script, XFA form or attached file anywhere in the document: each object,
    and every dictionary and array inside it, is looked at."""
    found, seen = [], set()
    stack = [pdf.trailer, *(o for o in pdf.objects if isinstance(o, (Array, Dictionary,
                                                                     pikepdf.Stream)))]
    while stack:
        item = stack.pop()
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        values = list(item) if isinstance(item, Array) else [item.get(k) for k in item.keys()]
        if not isinstance(item, Array):
            found += [f"{key} in {item.objgen}" for key in item.keys() if key in ACTIVE_KEYS]
            if str(item.get("/S")) in ACTIVE_ACTIONS:
                found.append(f"a {item.get('/S')} action in {item.objgen}")
        stack += [v for v in values if isinstance(v, (Array, Dictionary, pikepdf.Stream))]
    return found
