"""The numbers on the staff dashboard: how far the marketplace reaches across India's districts,
what waits for review, who decided what, and orders and sales. All within the viewer's scope."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, distinct, func, select

from odop_bazaar.db_types import INDIA, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.localized import with_official
from odop_bazaar.models.accounts import Role, User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.catalogue import PUBLISHED_STATUSES, Listing, ListingContent, ListingStatus
from odop_bazaar.models.orders import Order, OrderItem, OrderStatus
from odop_bazaar.models.reference import SECTORS, District, OdopProduct, State
from odop_bazaar.models.sellers import Seller, SellerStatus, seller_product
from odop_bazaar.services.accounts.staff_scope import Scope

WORKLIST_PAGE = 50
DECISIONS = ("approved", "changes_requested", "removed", "suspended")


def _share(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


@dataclass
class CoverageRow:
    key: str | int
    label: str
    districts: int
    with_seller: int
    with_listing: int
    sellers: int = 0
    listings: int = 0

    @property
    def seller_share(self) -> float:
        return _share(self.with_seller, self.districts)

    @property
    def listing_share(self) -> float:
        return _share(self.with_listing, self.districts)


def _approved_sellers(scope: Scope):
    return select(Seller.id, Seller.district_lgd_code).where(
        Seller.status == SellerStatus.APPROVED, scope.seller_filter())


def _approved_listings(scope: Scope):
    """Listings buyers may see (sold out or not), with the district and sector of their product."""
    return (select(Listing.id, OdopProduct.district_lgd_code, OdopProduct.sector)
            .join(ListingContent, ListingContent.id == Listing.live_content_id)
            .join(OdopProduct, OdopProduct.id == ListingContent.odop_product_id)
            .join(Seller, Seller.id == Listing.seller_id)
            .where(Listing.status.in_(PUBLISHED_STATUSES), Seller.status == SellerStatus.APPROVED,
                   scope.seller_filter()))


STATE_SORTS = {
    "name": lambda row: row.label,
    "districts": lambda row: row.districts,
    "sellers": lambda row: (row.seller_share, row.with_seller),
    "listings": lambda row: (row.listing_share, row.with_listing),
}


def coverage_by_state(scope: Scope, *, sort: str = "name", descending: bool = False
                      ) -> tuple[list[CoverageRow], CoverageRow]:
    """Per state in scope: districts, districts with an approved seller, with an approved
    listing, and the counts of both, in the order asked for; with the total over the scope."""
    sellers = _approved_sellers(scope).subquery()
    listings = _approved_listings(scope).subquery()
    district_rows = db.session.execute(
        select(District.lgd_code, District.state_lgd_code).where(scope.district_filter())).all()
    seller_counts = dict(db.session.execute(
        select(sellers.c.district_lgd_code, func.count())
        .group_by(sellers.c.district_lgd_code)).all())
    listing_counts = dict(db.session.execute(
        select(listings.c.district_lgd_code, func.count())
        .group_by(listings.c.district_lgd_code)).all())
    names = {row.lgd_code: with_official(row)  # "उत्तर प्रदेश (Uttar Pradesh)" in Hindi
             for row in db.session.execute(select(State.lgd_code, State.name, State.name_hi))}
    rows: dict[int, CoverageRow] = {}
    for district, state in district_rows:
        row = rows.setdefault(state, CoverageRow(state, names.get(state, str(state)), 0, 0, 0))
        row.districts += 1
        row.with_seller += district in seller_counts
        row.with_listing += district in listing_counts
        row.sellers += seller_counts.get(district, 0)
        row.listings += listing_counts.get(district, 0)
    ordered = sorted(rows.values(), key=STATE_SORTS.get(sort, STATE_SORTS["name"]),
                     reverse=descending)
    total = CoverageRow("all", "", sum(r.districts for r in ordered),
                        sum(r.with_seller for r in ordered), sum(r.with_listing for r in ordered),
                        sum(r.sellers for r in ordered), sum(r.listings for r in ordered))
    return ordered, total


def coverage_by_sector(scope: Scope) -> list[CoverageRow]:
    """Per sector: districts with an identified ODOP product of it, how many of those have an
    approved seller of such a product, and how many have an approved listing in it."""
    live = (select(OdopProduct.sector, OdopProduct.district_lgd_code)
            .join(District, District.lgd_code == OdopProduct.district_lgd_code)
            .where(OdopProduct.retired_at.is_(None), scope.district_filter())).subquery()
    identified = dict(db.session.execute(
        select(live.c.sector, func.count(distinct(live.c.district_lgd_code)))
        .group_by(live.c.sector)).all())
    with_seller = {sector: (districts, count) for sector, districts, count in db.session.execute(
        select(OdopProduct.sector, func.count(distinct(Seller.district_lgd_code)),
               func.count(distinct(Seller.id)))
        .select_from(Seller)
        .join(seller_product, seller_product.c.seller_id == Seller.id)
        .join(OdopProduct, OdopProduct.id == seller_product.c.odop_product_id)
        .where(Seller.status == SellerStatus.APPROVED, scope.seller_filter())
        .group_by(OdopProduct.sector))}
    listings = _approved_listings(scope).subquery()
    with_listing = {sector: (districts, count) for sector, districts, count in db.session.execute(
        select(listings.c.sector, func.count(distinct(listings.c.district_lgd_code)),
               func.count()).group_by(listings.c.sector))}
    rows = []
    for term in SECTORS:
        seller_districts, seller_count = with_seller.get(term.value, (0, 0))
        listing_districts, listing_count = with_listing.get(term.value, (0, 0))
        rows.append(CoverageRow(term.value, str(term.label), identified.get(term.value, 0),
                                seller_districts, listing_districts, seller_count,
                                listing_count))
    return rows


@dataclass(frozen=True)
class WorklistRow:
    district_code: int
    district: str
    state: str
    products: list[str]


def districts_without_sellers(scope: Scope, *, state: int | None = None,
                              page: int = 1) -> tuple[list[WorklistRow], int]:
    """Districts with identified ODOP products and no approved seller yet, by state and name:
    where outreach is needed."""
    has_seller = (select(Seller.id).where(Seller.district_lgd_code == District.lgd_code,
                                          Seller.status == SellerStatus.APPROVED).exists())
    has_product = (select(OdopProduct.id).where(OdopProduct.district_lgd_code == District.lgd_code,
                                                OdopProduct.retired_at.is_(None)).exists())
    query = (select(District, State).join(State, State.lgd_code == District.state_lgd_code)
             .where(has_product, ~has_seller, scope.district_filter()))
    if state:
        query = query.where(District.state_lgd_code == state)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    found = db.session.execute(query.order_by(State.name, District.name)
                               .offset((page - 1) * WORKLIST_PAGE).limit(WORKLIST_PAGE)).all()
    products: dict[int, list[str]] = {}
    for district_code, *name in db.session.execute(
            select(OdopProduct.district_lgd_code, OdopProduct.name, OdopProduct.name_hi)
            .where(OdopProduct.district_lgd_code.in_([d.lgd_code for d, _ in found]),
                   OdopProduct.retired_at.is_(None)).order_by(OdopProduct.name)):
        products.setdefault(district_code, []).append(
            with_official({"name": name[0], "name_hi": name[1]}))
    return [WorklistRow(d.lgd_code, with_official(d), with_official(state),
                        products.get(d.lgd_code, [])) for d, state in found], total


@dataclass(frozen=True)
class Queue:
    waiting: int
    oldest: datetime | None

    def age_days(self, now: datetime) -> int | None:
        return (now - self.oldest).days if self.oldest else None


def queues(scope: Scope) -> dict[str, Queue]:
    sellers = db.session.execute(
        select(func.count(), func.min(Seller.submitted_at)).where(
            Seller.status.in_([SellerStatus.SUBMITTED, SellerStatus.IN_REVIEW]),
            scope.seller_filter())).one()
    listings = db.session.execute(
        select(func.count(), func.min(Listing.submitted_at)).where(
            Listing.status == ListingStatus.SUBMITTED,
            Listing.seller_id.in_(scope.seller_ids()))).one()
    return {"sellers": Queue(*sellers), "listings": Queue(*listings)}


def week_starts(weeks: int, now: datetime | None = None) -> list[datetime]:
    """The Mondays (00:00 in India, as UTC-aware times) of the last `weeks` weeks, oldest first."""
    local = (now or utcnow()).astimezone(INDIA)
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0,
                                                                microsecond=0)
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


@dataclass(frozen=True)
class ReviewerWeeks:
    name: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


def decisions_per_reviewer(weeks: list[datetime], *, only_user: int | None = None
                           ) -> list[ReviewerWeeks]:
    """Seller and listing decisions (approve, send back, remove, suspend) by each staff member
    in each week; counted in the database, one column per week."""
    bounds = [*weeks, weeks[-1] + timedelta(weeks=1)]
    columns = [func.sum(case((and_(AuditEntry.created_at >= start, AuditEntry.created_at < end),
                              1), else_=0)) for start, end in zip(bounds, bounds[1:], strict=False)]
    query = (select(User.full_name, *columns).join(User, User.id == AuditEntry.actor_id)
             .where(User.role.in_([Role.STAFF, Role.ADMIN]),
                    AuditEntry.object_type.in_(["seller", "listing"]),
                    AuditEntry.action == "status", AuditEntry.to_status.in_(DECISIONS),
                    AuditEntry.created_at >= bounds[0], AuditEntry.created_at < bounds[-1])
             .group_by(User.id, User.full_name).order_by(User.full_name))
    if only_user is not None:
        query = query.where(User.id == only_user)
    return [ReviewerWeeks(name, [int(c or 0) for c in counts])
            for name, *counts in db.session.execute(query)]


@dataclass
class SalesRow:
    key: str | int
    label: str
    orders: int
    sales_paise: int


def sales_by_state(scope: Scope) -> list[SalesRow]:
    """Orders and sales (goods including GST, without delivery) by the seller's state: where
    ODOP products come from."""
    rows = db.session.execute(
        select(State.lgd_code, State.name, State.name_hi, func.count(Order.id),
               func.sum(Order.items_paise))
        .select_from(Order).join(Seller, Seller.id == Order.seller_id)
        .join(State, State.lgd_code == Seller.state_lgd_code)
        .where(Order.status.in_(OrderStatus.SOLD), scope.seller_filter())
        .group_by(State.lgd_code, State.name, State.name_hi)
        .order_by(func.sum(Order.items_paise).desc()))
    return [SalesRow(code, with_official({"name": name, "name_hi": name_hi}), count,
                     int(total or 0)) for code, name, name_hi, count, total in rows]


def sales_by_sector(scope: Scope) -> list[SalesRow]:
    """Orders and sales by the sector of the ODOP product each item was listed under."""
    labels = {term.value: str(term.label) for term in SECTORS}
    rows = db.session.execute(
        select(OdopProduct.sector, func.count(distinct(Order.id)), func.sum(OrderItem.total_paise))
        .select_from(OrderItem).join(Order, Order.id == OrderItem.order_id)
        .join(Seller, Seller.id == Order.seller_id)
        .join(Listing, Listing.id == OrderItem.listing_id)
        .join(ListingContent, ListingContent.id == Listing.live_content_id)
        .join(OdopProduct, OdopProduct.id == ListingContent.odop_product_id)
        .where(Order.status.in_(OrderStatus.SOLD), scope.seller_filter())
        .group_by(OdopProduct.sector).order_by(func.sum(OrderItem.total_paise).desc()))
    return [SalesRow(sector, labels.get(sector, sector), count, int(total or 0))
            for sector, count, total in rows]


def sales_by_week(scope: Scope, weeks: list[datetime]) -> list[SalesRow]:
    """Orders and sales placed in each week (Monday to Sunday, India time)."""
    bounds = [*weeks, weeks[-1] + timedelta(weeks=1)]
    columns = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        inside = and_(Order.placed_at >= start, Order.placed_at < end)
        columns += [func.sum(case((inside, 1), else_=0)),
                    func.sum(case((inside, Order.items_paise), else_=0))]
    values = db.session.execute(
        select(*columns).select_from(Order).join(Seller, Seller.id == Order.seller_id)
        .where(Order.status.in_(OrderStatus.SOLD), scope.seller_filter(),
               Order.placed_at >= bounds[0], Order.placed_at < bounds[-1])).one()
    return [SalesRow(start.date().isoformat(), start.date().isoformat(), int(values[2 * i] or 0),
                     int(values[2 * i + 1] or 0)) for i, start in enumerate(weeks)]


def orders_today(scope: Scope, now: datetime | None = None) -> SalesRow:
    """Orders placed since midnight in India, and their sales (goods including GST)."""
    local = (now or utcnow()).astimezone(INDIA)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    count, total = db.session.execute(
        select(func.count(Order.id), func.sum(Order.items_paise)).select_from(Order)
        .join(Seller, Seller.id == Order.seller_id)
        .where(Order.status.in_(OrderStatus.SOLD), scope.seller_filter(),
               Order.placed_at >= midnight)).one()
    return SalesRow("today", midnight.date().isoformat(), int(count or 0), int(total or 0))


@dataclass
class DashboardNumbers:
    """Everything the staff dashboard shows, gathered for one viewer's scope."""

    sort: str
    descending: bool
    states: list[CoverageRow]
    total: CoverageRow
    sectors: list[CoverageRow]
    weeks: list[datetime]
    worklist: list[WorklistRow]
    worklist_total: int
    worklist_state: int | None
    worklist_page: int
    queues: dict[str, Queue]
    reviewers: list[ReviewerWeeks]
    by_state: list[SalesRow]
    by_sector: list[SalesRow]
    by_week: list[SalesRow]
    today: SalesRow


def dashboard_numbers(scope: Scope, *, sort: str | None, descending: bool, weeks: int,
                      worklist_state: int | None, worklist_page: int,
                      only_reviewer: int | None) -> DashboardNumbers:
    """The dashboard's numbers: coverage sorted as asked (by name when the sort is unknown),
    one page of the districts without sellers, the queues, the last `weeks` of decisions (of
    only_reviewer alone, when set) and the sales."""
    sort = sort if sort in STATE_SORTS else "name"
    states, total = coverage_by_state(scope, sort=sort, descending=descending)
    week_list = week_starts(weeks)
    worklist, worklist_total = districts_without_sellers(scope, state=worklist_state,
                                                         page=worklist_page)
    return DashboardNumbers(
        sort=sort, descending=descending, states=states, total=total,
        sectors=coverage_by_sector(scope), weeks=week_list, worklist=worklist,
        worklist_total=worklist_total, worklist_state=worklist_state,
        worklist_page=worklist_page, queues=queues(scope),
        reviewers=decisions_per_reviewer(week_list, only_user=only_reviewer),
        by_state=sales_by_state(scope), by_sector=sales_by_sector(scope),
        by_week=sales_by_week(scope, week_list), today=orders_today(scope))
