"""Writing an ODOP list's rows into the reference tables: states and districts from the shipped
LGD tables, then products added, changed, reinstated or retired. Flushes, never commits: the
importer (odop_list.py) commits the whole list as one transaction, or rolls it back.

A product that is no longer listed is retired, never deleted, because listings may refer to it.
"""

import csv

from flask_babel import gettext as _
from sqlalchemy import select

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.reference import District, OdopProduct, ReferenceListVersion, State
from odop_bazaar.services.reference.import_report import ImportReport, RowNote
from odop_bazaar.services.reference.odop_csv import (
    SHIPPED_DISTRICTS,
    SHIPPED_STATES,
    ListRow,
    ProductTerms,
    product_terms,
)
from odop_bazaar.services.reference.place_matching import PlaceMatcher
from odop_bazaar.text import fold, smart_title

ProductKey = tuple[int, str]  # (district LGD code, folded product name): one product


def ensure_lgd_places() -> tuple[int, int]:
    """Add any state or district from the shipped LGD tables that the database lacks.

    Returns (states added, districts added). Does not commit.
    """
    known_states = set(db.session.scalars(select(State.lgd_code)))
    known_districts = set(db.session.scalars(select(District.lgd_code)))
    states_added = districts_added = 0
    with SHIPPED_STATES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = int(row["state_lgd_code"])
            if code not in known_states:
                db.session.add(State(
                    lgd_code=code,
                    lgd_name=row["state_name"],
                    name=smart_title(row["state_name"]),
                    kind=row["state_or_ut"],
                    census2011_code=row["census2011_code"] or None,
                ))
                states_added += 1
    db.session.flush()
    with SHIPPED_DISTRICTS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = int(row["district_lgd_code"])
            if code not in known_districts:
                db.session.add(District(
                    lgd_code=code,
                    state_lgd_code=int(row["state_lgd_code"]),
                    lgd_name=row["district_name"],
                    name=smart_title(row["district_name"]),
                    census2011_code=row["census2011_code"] or None,
                    source=row["source"][:200],
                ))
                districts_added += 1
    db.session.flush()
    return states_added, districts_added


def apply_rows(rows: list[ListRow], report: ImportReport, version: ReferenceListVersion) -> None:
    """Make the products match the rows, noting each row's fate in the report. Does not commit."""
    places = PlaceMatcher()
    existing = {(p.district_lgd_code, p.name_key): p for p in db.session.scalars(select(OdopProduct))}
    seen: dict[ProductKey, int] = {}
    for row in rows:
        matched = _match_row(row, places, report)
        if matched is None:
            continue
        district, terms = matched
        key = (district.lgd_code, fold(row.product)[:255])
        if key in seen:
            report.rejected.append(RowNote(row.line, _(
                "the same product for %(district)s as row %(line)d",
                district=district.name, line=seen[key])))
            continue
        seen[key] = row.line
        wanted = {
            "name": terms.name,
            "sector": terms.sector,
            "rank": terms.rank,
            "gi_tagged": terms.gi_tagged,
            "district_spelling": row.district[:120],
        }
        _write_product(existing.get(key), key, district, wanted, report, version)
    _retire_unlisted(existing, seen, places, report)
    db.session.flush()


def _match_row(row: ListRow, places: PlaceMatcher,
               report: ImportReport) -> tuple[District, ProductTerms] | None:
    # The row's district and product terms; None (with the reason in the report) if rejected.
    state = places.state_for(row)
    if isinstance(state, str):
        report.rejected.append(RowNote(row.line, state))
        return None
    terms = product_terms(row)
    if isinstance(terms, str):
        report.rejected.append(RowNote(row.line, terms))
        return None
    district, note = places.district_for(row, state)
    if district is None:
        report.rejected.append(RowNote(row.line, note))
        return None
    if note:
        report.corrected.append(RowNote(row.line, note))
    return district, terms


def _write_product(product: OdopProduct | None, key: ProductKey, district: District,
                   wanted: dict, report: ImportReport, version: ReferenceListVersion) -> None:
    # Add the product, or bring the existing one (perhaps retired) in line with the row.
    if product is None:
        db.session.add(OdopProduct(district_lgd_code=district.lgd_code, name_key=key[1],
                                   list_version=version, **wanted))
        report.added.append(f"{wanted['name']} ({district.name})")
        return
    differences = [name for name, value in wanted.items() if getattr(product, name) != value]
    if product.retired_at is not None:
        differences.append("reinstated")
        product.retired_at = None
    if not differences:
        report.unchanged += 1
        return
    for name, value in wanted.items():
        setattr(product, name, value)
    product.list_version = version
    report.changed_product_ids.add(product.id)
    report.changed.append(f"{product.name} ({district.name}): {', '.join(differences)}")


def _retire_unlisted(existing: dict[ProductKey, OdopProduct], seen: dict[ProductKey, int],
                     places: PlaceMatcher, report: ImportReport) -> None:
    # Retired, not deleted: listings may refer to the product.
    now = utcnow()
    for key, product in existing.items():
        if key not in seen and product.retired_at is None:
            product.retired_at = now
            report.retired.append(f"{product.name} ({places.districts[key[0]].name})")
