"""CSV downloads that spreadsheet programs open safely and read correctly.

The text starts with a UTF-8 byte order mark: without it Excel reads UTF-8 as the local code page
and Devanagari names turn to mojibake. A cell that a spreadsheet would take for a formula (one
starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, as OWASP advises
against CSV injection: a seller's "=HYPERLINK(...)" is then shown as text, never run. Rows are
written one at a time, so an export of every seller never sits in memory whole.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from itertools import chain

from flask import Response, stream_with_context

BOM = "\ufeff"
# OWASP's list, and the full-width forms that some spreadsheet programs (Excel in East Asian
# locales) also read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value) -> str | int | Decimal:
    """A cell as it is written: text that could start a formula gets a leading apostrophe.

    Numbers (int, Decimal) are kept as numbers: they cannot hold a formula, and a spreadsheet
    should be able to add them up. Anything else is text; None is an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text in pieces, one per row, starting with the byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # "\r\n" line ends, as RFC 4180 and spreadsheets expect
    yield BOM
    for row in chain([header], rows):
        writer.writerow([neutralise(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def filename(kind: str, today: date) -> str:
    """The download's name, like odop-sellers-2026-11-23.csv."""
    return f"odop-{kind}-{today.isoformat()}.csv"


def csv_response(name: str, header: Iterable, rows: Iterable[Iterable]) -> Response:
    """A streamed CSV attachment; call within a request (rows are read while it is sent)."""
    response = Response(stream_with_context(csv_lines(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # personal data: keep it out of caches
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
