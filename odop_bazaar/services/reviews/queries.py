"""Reads of reviews: what a page shows, whether a line may be reviewed. Never commits.

The product page's reviews and its rating summary come in one statement (the per-star counts are
window sums over every published review, carried on each row of the page), so the page stays a
handful of statements however many reviews it has.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload

from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import Order, OrderItem, OrderStatus
from odop_bazaar.models.reviews import Review, ReviewPhoto, ReviewReport, ReviewStatus
from odop_bazaar.services.accounts.staff_scope import Scope
from odop_bazaar.services.returns.queries import returned_quantities

PAGE_SIZE = 10
STARS = (5, 4, 3, 2, 1)


@dataclass(frozen=True)
class RatingSummary:
    """How a listing or a seller is rated: count, average and how many gave each star."""

    count: int = 0
    total: int = 0
    per_star: dict[int, int] = field(default_factory=dict)

    @property
    def average(self) -> float | None:
        return self.total / self.count if self.count else None

    def bars(self) -> list[tuple[int, int, int]]:
        """(stars, how many, percent of all) from 5 down to 1, for the bar chart."""
        return [(star, self.per_star.get(star, 0),
                 round(100 * self.per_star.get(star, 0) / self.count) if self.count else 0)
                for star in STARS]


@dataclass(frozen=True)
class ShownReview:
    """One published review as the product page shows it."""

    id: int
    rating: int
    text: str | None
    created_at: datetime
    reviewer: str  # first name only
    reply_text: str | None
    replied_at: datetime | None
    photo_digests: tuple[str, ...]


@dataclass(frozen=True)
class ProductReviews:
    summary: RatingSummary
    reviews: list[ShownReview]
    page: int
    pages: int


def first_name(full_name: str) -> str:
    """What a review shows of its writer: their first name."""
    return (full_name or "").split(" ", 1)[0] or "—"


def returned_units(order_line_ids) -> dict[int, int]:
    """How many units of each order line the buyer is giving back for a refund (asked for or
    already back); an exchanged unit was replaced, so the buyer still has one to review."""
    return returned_quantities(order_line_ids, refunds_only=True)


def buyers_line(buyer_id: int, line_id: int) -> OrderItem | None:
    """The order line, if it is on one of this buyer's orders (else None: a 404)."""
    return db.session.scalar(
        select(OrderItem).join(Order, Order.id == OrderItem.order_id)
        .where(OrderItem.id == line_id, Order.buyer_id == buyer_id)
        .options(joinedload(OrderItem.order)))


def why_not_reviewable(line: OrderItem | None):
    """Why this line of the buyer's cannot be reviewed now (a message), or None if it can:
    delivered, not every unit returned, not reviewed yet."""
    if line is None:
        return _l("This is not an item of one of your orders.")
    if line.order.status != OrderStatus.DELIVERED:
        return _l("You can review an item once it has been delivered to you.")
    if returned_units([line.id]).get(line.id, 0) >= line.quantity:
        return _l("You returned this item, so it cannot be reviewed.")
    if review_of_line(line.id) is not None:
        return _l("You have reviewed this already.")
    return None


def review_of_line(line_id: int) -> Review | None:
    return db.session.scalar(select(Review).where(Review.order_item_id == line_id))


def reviewed_line_ids(line_ids: list[int]) -> set[int]:
    """Which of these order lines have a review (the order page's "Write a review" links)."""
    if not line_ids:
        return set()
    return set(db.session.scalars(select(Review.order_item_id)
                                  .where(Review.order_item_id.in_(line_ids))))


def review_links(orders) -> dict[int, bool]:
    """For the order page: each delivered, unreturned line of these orders -> whether it has a
    review already ("Write a review" or "Your review")."""
    delivered = [line for order in orders if order.status == OrderStatus.DELIVERED
                 for line in order.items]
    returned = returned_units([line.id for line in delivered])
    lines = [line for line in delivered if returned.get(line.id, 0) < line.quantity]
    reviewed = reviewed_line_ids([line.id for line in lines])
    return {line.id: line.id in reviewed for line in lines}


def product_reviews(listing_id: int, page: int = 1) -> ProductReviews | None:
    """A page of a listing's published reviews, newest first, with its rating summary; None
    for a page past the last."""
    published = and_(Review.listing_id == listing_id, Review.status == ReviewStatus.PUBLISHED)
    stars = [func.sum(case((Review.rating == star, 1), else_=0)).over() for star in STARS]
    photos = (select(func.aggregate_strings(ReviewPhoto.digest, " "))
              .where(ReviewPhoto.review_id == Review.id).scalar_subquery())
    rows = db.session.execute(
        select(Review.id, Review.rating, Review.text, Review.created_at, User.full_name,
               Review.reply_text, Review.replied_at, photos, func.count().over(),
               func.sum(Review.rating).over(), *stars)
        .join(User, User.id == Review.buyer_id).where(published)
        .order_by(Review.created_at.desc(), Review.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    if not rows:
        return ProductReviews(RatingSummary(), [], 1, 1) if page == 1 else None
    first = rows[0]
    summary = RatingSummary(first[8], first[9], dict(zip(STARS, first[10:], strict=True)))
    reviews = [ShownReview(row[0], row[1], row[2], row[3], first_name(row[4]), row[5], row[6],
                           tuple((row[7] or "").split())) for row in rows]
    return ProductReviews(summary, reviews, page, max(1, -(-summary.count // PAGE_SIZE)))


def seller_star_columns(seller_id: int) -> list:
    """How many published reviews of the seller's listings gave each star, 5 down to 1, as
    scalar subqueries: the shop page reads them in the statement that counts its listings."""
    return [select(func.count(Review.id)).where(
        Review.seller_id == seller_id, Review.status == ReviewStatus.PUBLISHED,
        Review.rating == star).scalar_subquery() for star in STARS]


def summary_of_star_counts(counts) -> RatingSummary:
    """A RatingSummary from the counts of 5, 4, 3, 2 and 1 stars."""
    per_star = dict(zip(STARS, (count or 0 for count in counts), strict=True))
    return RatingSummary(sum(per_star.values()),
                         sum(star * count for star, count in per_star.items()), per_star)


def rating_summary_for_seller(seller_id: int) -> RatingSummary:
    """Every published review of the seller's listings, summed up (one statement)."""
    return summary_of_star_counts(db.session.execute(
        select(*seller_star_columns(seller_id))).one())


def seller_reviews(seller_id: int, page: int = 1) -> tuple[list[Review], int]:
    """A page of the reviews of this seller's listings, newest first, and how many pages."""
    total = db.session.scalar(select(func.count()).select_from(Review)
                              .where(Review.seller_id == seller_id))
    reviews = db.session.scalars(
        select(Review).where(Review.seller_id == seller_id)
        .options(joinedload(Review.buyer), joinedload(Review.photos))
        .order_by(Review.created_at.desc(), Review.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).unique().all()
    return list(reviews), max(1, -(-total // PAGE_SIZE))


def sellers_review(seller_id: int, review_id: int) -> Review | None:
    """The review, if it is of this seller's listing (else None: a 404)."""
    return db.session.scalar(select(Review).where(Review.id == review_id,
                                                  Review.seller_id == seller_id))


def open_reports(review_id: int) -> list[ReviewReport]:
    """Reports of this review staff have not decided on, oldest first."""
    return list(db.session.scalars(
        select(ReviewReport).where(ReviewReport.review_id == review_id,
                                   ReviewReport.decided_at.is_(None))
        .order_by(ReviewReport.created_at)))


@dataclass(frozen=True)
class QueueRow:
    review: Review
    open_reports: int


def staff_queue(scope: Scope, limit: int = 50) -> list[QueueRow]:
    """Reviews of sellers in the staff member's places: those with open reports first (most
    reported, then oldest report), then the newest of the rest."""
    reports = (select(ReviewReport.review_id, func.count().label("open"),
                      func.min(ReviewReport.created_at).label("first"))
               .where(ReviewReport.decided_at.is_(None))
               .group_by(ReviewReport.review_id).subquery())
    open_count = func.coalesce(reports.c.open, 0)
    rows = db.session.execute(
        select(Review, open_count).outerjoin(reports, reports.c.review_id == Review.id)
        .where(Review.seller_id.in_(scope.seller_ids()))
        .options(joinedload(Review.buyer))
        .order_by(open_count.desc(), reports.c.first, Review.created_at.desc(), Review.id.desc())
        .limit(limit)).all()
    return [QueueRow(review, count) for review, count in rows]
