"""All models, imported here so that the metadata (and Alembic) sees every table."""

from odop_bazaar.models.accounts import Role, User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.catalogue import (
    Listing,
    ListingContent,
    ListingPhoto,
    ListingStatus,
    ReasonCode,
    Unit,
)
from odop_bazaar.models.reference import (
    GI_STATUSES,
    RANKS,
    SECTORS,
    District,
    OdopProduct,
    ReferenceListVersion,
    State,
    sector_by_slug,
)
from odop_bazaar.models.sellers import (
    DocumentKind,
    GstExemption,
    GstMode,
    SectionKey,
    SectionStatus,
    Seller,
    SellerDocument,
    SellerSection,
    SellerStatus,
    SellerType,
)

__all__ = [
    "AuditEntry",
    "DocumentKind",
    "GstExemption",
    "GstMode",
    "Listing",
    "ListingContent",
    "ListingPhoto",
    "ListingStatus",
    "ReasonCode",
    "Unit",
    "SectionKey",
    "SectionStatus",
    "Seller",
    "SellerDocument",
    "SellerSection",
    "SellerStatus",
    "SellerType",
    "GI_STATUSES",
    "RANKS",
    "SECTORS",
    "District",
    "OdopProduct",
    "ReferenceListVersion",
    "Role",
    "State",
    "User",
    "sector_by_slug",
]
