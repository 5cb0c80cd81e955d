"""ODOP reference lists as DPIIT publishes them, and what the reference tables hold after import."""

import csv
import io

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import District, OdopProduct, ReferenceListVersion, State

OFFICIAL_HEADER = ["State", "Product", "District", "LGD Code", "Category", "Sector", "Description",
                   "GI Status", "Photo", "Ministry/ Department"]


def official_csv(rows, header=OFFICIAL_HEADER) -> bytes:
    """A file as DPIIT publishes it: Windows-1252, CRLF line ends, quoted line breaks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("cp1252")


def counts():
    """How many states, districts, products (all and live) and list versions are stored; call in
    an app context."""
    return {
        "states": db.session.scalar(select(func.count()).select_from(State)),
        "districts": db.session.scalar(select(func.count()).select_from(District)),
        "products": db.session.scalar(select(func.count()).select_from(OdopProduct)),
        "live": db.session.scalar(select(func.count()).select_from(OdopProduct)
                                  .where(OdopProduct.retired_at.is_(None))),
        "versions": db.session.scalar(select(func.count()).select_from(ReferenceListVersion)),
    }


def product(district_code, name):
    """The district's ODOP product of this name, or None; call in an app context."""
    return db.session.scalar(select(OdopProduct).where(
        OdopProduct.district_lgd_code == district_code, OdopProduct.name == name))
