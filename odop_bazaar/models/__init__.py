"""All models, imported here so that the metadata (and Alembic) sees every table."""

from odop_bazaar.models.accounts import Role, StaffScope, User
from odop_bazaar.models.api_access import ApiScope, ApiToken, IdempotentRequest
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.catalogue import (
    Listing,
    ListingContent,
    ListingPhoto,
    ListingStatus,
    ReasonCode,
    Unit,
)
from odop_bazaar.models.checklist import (
    DocumentKind,
    SectionKey,
    SectionStatus,
    SellerDocument,
    SellerSection,
)
from odop_bazaar.models.complaints import Complaint, ComplaintMessage
from odop_bazaar.models.orders import (
    Cart,
    CartItem,
    Checkout,
    MarketplaceSetting,
    Order,
    OrderItem,
    Payment,
    ProcessedEvent,
    Refund,
)
from odop_bazaar.models.outbox import MailStatus, OutboxMessage
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
from odop_bazaar.models.returns import ReturnLine, ReturnPhoto, ReturnRequest
from odop_bazaar.models.reviews import Review, ReviewPhoto, ReviewReport
from odop_bazaar.models.sellers import GstExemption, GstMode, Seller, SellerStatus, SellerType
from odop_bazaar.models.settlements import EntryKind, LedgerEntry
from odop_bazaar.models.shop import ShopChange, ShopListing, StockAlert, Topic

__all__ = [
    "ApiScope", "ApiToken", "IdempotentRequest",
    "MailStatus",
    "OutboxMessage",
    "Complaint",
    "ComplaintMessage",
    "ReturnLine", "ReturnPhoto", "ReturnRequest",
    "Review",
    "ReviewPhoto",
    "ReviewReport",
    "EntryKind",
    "LedgerEntry",
    "StaffScope",
    "Cart",
    "CartItem",
    "Checkout",
    "MarketplaceSetting",
    "Order",
    "OrderItem",
    "Payment",
    "ProcessedEvent",
    "Refund",
    "ShopChange",
    "ShopListing",
    "StockAlert",
    "Topic",
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
