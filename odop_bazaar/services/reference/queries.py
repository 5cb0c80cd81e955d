"""Read-only: where the reference tables stand, for the staff console's ODOP list page."""

from dataclasses import dataclass

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models.reference import OdopProduct, ReferenceListVersion


@dataclass
class ReferenceState:
    live: int
    retired: int
    versions: list[ReferenceListVersion]


def reference_state(recent: int = 5) -> ReferenceState:
    """How many products are live and retired, and the latest imports that changed something."""
    count = select(func.count()).select_from(OdopProduct)
    return ReferenceState(
        live=db.session.scalar(count.where(OdopProduct.retired_at.is_(None))),
        retired=db.session.scalar(count.where(OdopProduct.retired_at.is_not(None))),
        versions=list(db.session.scalars(
            select(ReferenceListVersion)
            .order_by(ReferenceListVersion.imported_at.desc(), ReferenceListVersion.id.desc())
            .limit(recent))),
    )
