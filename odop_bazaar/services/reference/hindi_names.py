"""The Hindi names of states, districts and ODOP products, from the reference data's files.

odop_bazaar/data/odop/hindi/ (paths.HINDI_NAMES) holds three UTF-8 CSV files:

- states_hi.csv     state_lgd_code, state_name, name_hi
- districts_hi.csv  district_lgd_code, district_name, state_lgd_code, name_hi
- products_hi.csv   product, name_hi: one row per English product name of the ODOP list, matched
                    by the same folded key the import gives a product (name_key), so a respelt
                    list ("BRASS WARE", "Brass-ware") still finds its Hindi name.

`set_names` writes them onto the rows (places by LGD code, products by key, in every district
that has the product) and changes only what differs, so running it again changes nothing.
A missing file means no names of that kind (logged); a row that matches nothing is reported.
A name already set is kept when a file has none for it. The shop's cards copy the names
(shop_listings.py notices the change as the unit of work commits, and the change log makes
every cached page stale).
"""

import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from odop_bazaar import paths
from odop_bazaar.extensions import db
from odop_bazaar.models.reference import District, OdopProduct, State
from odop_bazaar.services.catalogue import search
from odop_bazaar.services.catalogue.search import normalise
from odop_bazaar.text import clean_cell, fold

log = logging.getLogger(__name__)

STATES_FILE = "states_hi.csv"
DISTRICTS_FILE = "districts_hi.csv"
PRODUCTS_FILE = "products_hi.csv"


@dataclass
class HindiNamesReport:
    """What applying the Hindi names did, and what it could not match."""

    changed: dict[str, int] = field(default_factory=lambda: {"states": 0, "districts": 0,
                                                             "products": 0})
    missing_files: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # "products_hi.csv line 7: ..."
    without_name: dict[str, int] = field(default_factory=dict)  # rows still without one

    @property
    def changes_anything(self) -> bool:
        return any(self.changed.values())

    def lines(self) -> list[str]:
        """The report, for a terminal."""
        lines = [f"Hindi names set or changed: {self.changed['states']} states, "
                 f"{self.changed['districts']} districts, {self.changed['products']} "
                 "ODOP products."]
        lines += [f"No Hindi names file {name}: those names stay as they are."
                  for name in self.missing_files]
        if self.unmatched:
            lines.append(f"{len(self.unmatched)} rows were not used:")
            lines += [f"  {note}" for note in self.unmatched]
        still = {kind: count for kind, count in self.without_name.items() if count}
        if still:
            lines.append("Still without a Hindi name: " + ", ".join(
                f"{count} {kind}" for kind, count in still.items()) + ".")
        return lines


def _rows(directory: Path, name: str, report: HindiNamesReport) -> list[tuple[int, dict]] | None:
    """The file's rows with their line numbers, or None (logged) when there is no such file."""
    path = directory / name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        log.warning("No Hindi names file %s: those names are not set.", path)
        report.missing_files.append(name)
        return None
    reader = csv.DictReader(io.StringIO(text))
    return [(reader.line_num, {key.strip(): clean_cell(value) for key, value in row.items()
                               if key}) for row in reader]


def _code(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _set(row_object, name_hi: str) -> bool:
    # Normalised as search normalises a query (NFC splits ज़ into ज + ़), so both match.
    name_hi = normalise(name_hi or "").strip()
    if not name_hi or row_object.name_hi == name_hi:
        return False
    row_object.name_hi = name_hi
    return True


def _places(model, key_column: str, directory: Path, name: str, kind: str,
            report: HindiNamesReport) -> None:
    rows = _rows(directory, name, report)
    if rows is None:
        return
    by_code = {place.lgd_code: place for place in db.session.scalars(select(model))}
    for line, row in rows:
        place = by_code.get(_code(row.get(key_column, "")))
        if place is None:
            report.unmatched.append(f"{name} line {line}: no {kind[:-1]} with LGD code "
                                    f"{row.get(key_column, '')!r}")
        elif not row.get("name_hi"):
            report.unmatched.append(f"{name} line {line}: no Hindi name for {place.name}")
        else:
            report.changed[kind] += _set(place, row["name_hi"])
    report.without_name[kind] = sum(1 for place in by_code.values() if not place.name_hi)


def _products(directory: Path, report: HindiNamesReport) -> None:
    rows = _rows(directory, PRODUCTS_FILE, report)
    if rows is None:
        return
    products = list(db.session.scalars(select(OdopProduct)))
    by_key: dict[str, list[OdopProduct]] = {}
    for product in products:
        by_key.setdefault(product.name_key, []).append(product)
    chosen: dict[str, tuple[int, str]] = {}  # key -> (line, name): the first row of a key
    for line, row in rows:
        key = fold(row.get("product", ""))[:255]
        if key not in by_key:
            report.unmatched.append(f"{PRODUCTS_FILE} line {line}: no ODOP product is called "
                                    f"{row.get('product', '')!r}")
        elif not row.get("name_hi"):
            report.unmatched.append(f"{PRODUCTS_FILE} line {line}: no Hindi name for "
                                    f"{row.get('product', '')!r}")
        elif key in chosen and chosen[key][1] != row["name_hi"]:
            # Two spellings of one product ("Brass Ware", "BRASS WARE") named differently:
            # the first stands, so that running again changes nothing.
            report.unmatched.append(f"{PRODUCTS_FILE} line {line}: another Hindi name for the "
                                    f"product of line {chosen[key][0]}; that one is kept")
        else:
            chosen.setdefault(key, (line, row["name_hi"]))
    for key, (_line, name_hi) in chosen.items():
        report.changed["products"] += sum(_set(product, name_hi) for product in by_key[key])
    report.without_name["products"] = sum(
        1 for product in products if not product.name_hi and product.retired_at is None)


def set_names(directory: Path | None = None) -> HindiNamesReport:
    """Set the Hindi names from the files in `directory` (default paths.HINDI_NAMES) on the
    states, districts and ODOP products now in the database. Flushes; does not commit."""
    directory = Path(directory or paths.HINDI_NAMES)
    report = HindiNamesReport()
    _places(State, "state_lgd_code", directory, STATES_FILE, "states", report)
    _places(District, "district_lgd_code", directory, DISTRICTS_FILE, "districts", report)
    _products(directory, report)
    db.session.flush()
    return report


def apply_names(directory: Path | None = None) -> HindiNamesReport:
    """set_names(), committed once when it changed something (else rolled back). Idempotent."""
    try:
        report = set_names(directory)
        if report.changes_anything:
            # The search documents hold the Hindi names too: a buyer may type "वाराणसी".
            search.write_every_document()
            db.session.commit()
        else:
            db.session.rollback()
        return report
    except BaseException:
        db.session.rollback()
        raise
