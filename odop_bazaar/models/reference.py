"""The national ODOP reference data: states/UTs, districts (by LGD code) and ODOP products."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db


@dataclass(frozen=True)
class Term:
    """One value of a fixed vocabulary: what is stored, its URL slug and its label."""

    value: str
    slug: str
    label: object  # a lazy string, translated when shown


SECTORS = (
    Term("Agriculture", "agriculture", _l("Agriculture")),
    Term("Handicraft", "handicraft", _l("Handicraft")),
    Term("Handloom", "handloom", _l("Handloom")),
    Term("Textile", "textile", _l("Textile")),
    Term("Food Processing", "food-processing", _l("Food Processing")),
    Term("Dairy", "dairy", _l("Dairy")),
    Term("Marine", "marine", _l("Marine")),
    Term("Manufacturing", "manufacturing", _l("Manufacturing")),
    Term("Others", "others", _l("Others")),
)
RANKS = (
    Term("Primary", "primary", _l("Primary")),
    Term("Secondary", "secondary", _l("Secondary")),
    Term("Tertiary", "tertiary", _l("Tertiary")),
    Term("Others", "others", _l("Other")),
)
GI_STATUSES = ("Yes", "No")

_SECTOR_BY_VALUE = {term.value: term for term in SECTORS}
_SECTOR_BY_SLUG = {term.slug: term for term in SECTORS}
_RANK_BY_VALUE = {term.value: term for term in RANKS}
RANK_ORDER = {term.value: position for position, term in enumerate(RANKS)}


def sector_by_slug(slug: str) -> Term | None:
    """The sector for a URL slug, or None."""
    return _SECTOR_BY_SLUG.get(slug)


def sector_by_value(value: str | None) -> Term | None:
    """The sector for its stored value ("Food Processing"), or None."""
    return _SECTOR_BY_VALUE.get(value or "")


class State(db.Model):
    """A state or union territory, identified by its LGD code."""

    lgd_code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(120))
    # The Hindi name (data/odop/hindi/); None until the reference data gives one.
    name_hi: Mapped[str | None] = mapped_column(String(120))
    lgd_name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # "State" or "Union Territory"
    census2011_code: Mapped[str | None] = mapped_column(String(8))

    districts: Mapped[list["District"]] = relationship(
        back_populates="state", order_by="District.name"
    )

    @property
    def is_union_territory(self) -> bool:
        return self.kind == "Union Territory"

    def __repr__(self) -> str:
        return f"<State {self.lgd_code} {self.name}>"


class District(db.Model):
    """A district, identified by its LGD code."""

    lgd_code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    state_lgd_code: Mapped[int] = mapped_column(ForeignKey("state.lgd_code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_hi: Mapped[str | None] = mapped_column(String(120))
    lgd_name: Mapped[str] = mapped_column(String(120))
    census2011_code: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(200))

    state: Mapped[State] = relationship(back_populates="districts")
    products: Mapped[list["OdopProduct"]] = relationship(back_populates="district")

    def __repr__(self) -> str:
        return f"<District {self.lgd_code} {self.name}>"


class ReferenceListVersion(db.Model):
    """One import of the national ODOP list that changed something."""

    id: Mapped[int] = mapped_column(primary_key=True)
    source_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by: Mapped[str | None] = mapped_column(String(255))
    added: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    retired: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    report: Mapped[str] = mapped_column(Text, default="")


class OdopProduct(db.Model):
    """A product identified for a district under One District One Product."""

    __table_args__ = (
        UniqueConstraint("district_lgd_code", "name_key"),
        Index("ix_odop_product_sector_active", "sector", "retired_at"),
        CheckConstraint(
            "sector IN (" + ", ".join(f"'{term.value}'" for term in SECTORS) + ")", name="sector"),
        CheckConstraint(
            "rank IN (" + ", ".join(f"'{term.value}'" for term in RANKS) + ")", name="rank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_lgd_code: Mapped[int] = mapped_column(ForeignKey("district.lgd_code"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    name_hi: Mapped[str | None] = mapped_column(String(255))
    # The name folded for matching, so that a respelt list updates the row rather than adding one.
    name_key: Mapped[str] = mapped_column(String(255))
    sector: Mapped[str] = mapped_column(String(32))
    rank: Mapped[str] = mapped_column(String(16))
    gi_tagged: Mapped[bool] = mapped_column(default=False)
    # The district's name as the ODOP list spells it ("Kachch"), kept so that search finds it.
    district_spelling: Mapped[str] = mapped_column(String(120))
    list_version_id: Mapped[int | None] = mapped_column(ForeignKey("reference_list_version.id"))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    district: Mapped[District] = relationship(back_populates="products")
    list_version: Mapped[ReferenceListVersion | None] = relationship()

    @property
    def sector_term(self) -> Term:
        return _SECTOR_BY_VALUE[self.sector]

    @property
    def rank_term(self) -> Term:
        return _RANK_BY_VALUE[self.rank]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<OdopProduct {self.id} {self.name!r} in {self.district_lgd_code}>"
