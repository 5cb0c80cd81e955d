"""Reading an ODOP list into rows: the copy shipped in odop_bazaar/data/odop/, or a newer
official file as DPIIT publishes it (Windows-1252, its own columns, inconsistent spelling).

Nothing here touches the database: a row is read and its published words are interpreted;
matching places and writing products are the importer's (odop_list.py, apply_list.py).
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from odop_bazaar.models.reference import RANKS, SECTORS
from odop_bazaar.services.errors import DomainError
from odop_bazaar.text import clean_cell, fold, smart_title

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "data" / "odop"
SHIPPED_PRODUCTS = SHIPPED_DIR / "odop_products.csv"
SHIPPED_STATES = SHIPPED_DIR / "lgd_states.csv"
SHIPPED_DISTRICTS = SHIPPED_DIR / "lgd_districts.csv"

# The two layouts we read, by folded header name.
SHIPPED_LAYOUT = {
    "state": "state",
    "lgd state code": "state_code",
    "district": "district",
    "lgd district code": "district_code",
    "product": "product",
    "odop rank": "rank",
    "sector": "sector",
    "gi status": "gi",
}
OFFICIAL_LAYOUT = {
    "state": "state",
    "product": "product",
    "district": "district",
    "lgd code": "district_code",
    "category": "rank",
    "sector": "sector",
    "gi status": "gi",
}

_RANK_WORDS = {fold(term.value): term.value for term in RANKS} | {"other": "Others", "": "Others"}
_SECTOR_WORDS = {fold(term.value): term.value for term in SECTORS} | {
    "agri": "Agriculture",
    "agricultural": "Agriculture",
    "handicrafts": "Handicraft",
    "handlooms": "Handloom",
    "textiles": "Textile",
    "food processing industries": "Food Processing",
    "foodprocessing": "Food Processing",
    "fisheries": "Marine",
    "other": "Others",
}
_GI_WORDS = {"yes": True, "y": True, "gi tagged": True, "true": True, "1": True,
             "no": False, "n": False, "false": False, "0": False, "": False, "na": False}


class BadReferenceFile(DomainError):
    """The file cannot be read as an ODOP list at all; nothing was changed."""


@dataclass
class ListRow:
    """One product row of a list, its cells as published (trimmed)."""

    line: int
    state: str
    state_code: str
    district: str
    district_code: str
    product: str
    rank: str
    sector: str
    gi: str


@dataclass(frozen=True)
class ProductTerms:
    """What a row says about its product, in our vocabulary."""

    name: str
    rank: str
    sector: str
    gi_tagged: bool


@dataclass
class ParsedList:
    rows: list[ListRow]
    blank_rows: int


def parse_list(raw: bytes) -> ParsedList:
    """The product rows of a list file, numbered as a spreadsheet shows them.

    Raises:
        BadReferenceFile: the file is empty, not CSV text, or has neither known set of columns.
    """
    records = _records(_decode(raw))
    positions = _layout_positions(records[0])
    rows, blank_rows = [], 0
    # Rows are numbered as a spreadsheet shows them: the header is row 1.
    for number, record in enumerate(records[1:], start=2):
        values = {name: clean_cell(record[index]) if index < len(record) else ""
                  for name, index in positions.items()}
        if not any(values.values()):
            blank_rows += 1
            continue
        rows.append(ListRow(line=number, state_code=values.get("state_code", ""), **{
            key: values[key] for key in
            ("state", "district", "district_code", "product", "rank", "sector", "gi")
        }))
    if not rows:
        raise BadReferenceFile(_("The file has a header but no products."))
    return ParsedList(rows=rows, blank_rows=blank_rows)


def product_terms(row: ListRow) -> ProductTerms | str:
    """The row's product name, rank, sector and GI status, or why the row is rejected."""
    if not row.product:
        return _("the product name is blank")
    rank = _RANK_WORDS.get(fold(row.rank))
    sector = _SECTOR_WORDS.get(fold(row.sector))
    gi = _GI_WORDS.get(fold(row.gi))
    if rank is None:
        return _("unknown rank '%(value)s' (expected Primary, Secondary, Tertiary or Others)",
                 value=row.rank)
    if sector is None:
        return _("unknown sector '%(value)s' (expected one of %(known)s)",
                 value=row.sector, known=", ".join(term.value for term in SECTORS))
    if gi is None:
        return _("GI status '%(value)s' is neither Yes nor No", value=row.gi)
    return ProductTerms(name=_product_name(row.product)[:255], rank=rank, sector=sector,
                        gi_tagged=gi)


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise BadReferenceFile(_("The file is empty."))
    if b"\x00" in raw[:8192]:
        raise BadReferenceFile(_("This is not a CSV text file."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # The official list is published in Windows-1252.
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise BadReferenceFile(_("This file is neither UTF-8 nor Windows-1252 text.")) from error


def _records(text: str) -> list[list[str]]:
    # The CSV records from the header on (blank lines above the header are skipped).
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise BadReferenceFile(_("This is not a readable CSV file: %(error)s", error=error)) from error
    while records and not any(clean_cell(cell) for cell in records[0]):
        records.pop(0)
    if not records:
        raise BadReferenceFile(_("The file is empty."))
    return records


def _layout_positions(header_cells: list[str]) -> dict[str, int]:
    # Which column holds each field, for whichever known layout the header is.
    header = [fold(cell) for cell in header_cells]
    for layout in (SHIPPED_LAYOUT, OFFICIAL_LAYOUT):
        if set(layout) <= set(header):
            return {name: header.index(column) for column, name in layout.items()}
    raise BadReferenceFile(_(
        "These are not the columns of an ODOP list. Expected the official columns (State, "
        "Product, District, LGD Code, Category, Sector, GI Status, ...) or the shipped ones "
        "(state, lgd_state_code, district, lgd_district_code, product, odop_rank, sector, "
        "gi_status); found: %(found)s",
        found=(", ".join(clean_cell(cell) for cell in header_cells)[:300] or "-") + ".",
    ))


def _product_name(published: str) -> str:
    # Fix shouting ("BRASS WARE") and all-lower names, not acronyms ("ESDM"); keep the rest as
    # DPIIT wrote it.
    if published.isupper() and len(re.findall(r"[A-Z]{4,}", published)) >= 2:
        return smart_title(published)
    if published.islower():
        return published[0].upper() + published[1:]
    return published
