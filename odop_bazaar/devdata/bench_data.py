"""Realistic bulk data for the benchmarks in bench/: sellers, live listings and photo records
across every district, written in bulk (not through the services, which would take hours).

Every row obeys the rules the services enforce: approved sellers in their district, listings of
their district's live ODOP products, price within MRP, one cover photo record each, and a search
document per listing. Photo files are not written; the pages only link to them.
"""

import hashlib
import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import District, OdopProduct, Role, Seller, User
from odop_bazaar.models.catalogue import Listing, ListingContent, ListingPhoto, ListingStatus
from odop_bazaar.models.sellers import SellerStatus, seller_product
from odop_bazaar.services.catalogue import search, shop_listings

ADJECTIVES = ("Handwoven", "Hand-painted", "Traditional", "Organic", "Handcrafted", "Classic",
              "Festive", "Everyday", "Heritage", "Fine")
COLOURS = ("red", "green", "indigo", "saffron", "ivory", "maroon", "mustard", "teal", "black")
HINDI = ("हाथ से बना", "पारंपरिक", "शुद्ध", "जैविक", "हथकरघा")
BATCH = 2000


def generate(listings: int, *, pending: int = 0, sellers_per_district: int = 2, seed: int = 7,
             echo=print) -> int:
    """Add `listings` live listings (and the sellers they need), then `pending` new listings
    waiting for review (for bench/'s writer to approve). Commits in batches."""
    # Repeatable fake data for benchmarks: nothing here is a secret.
    rng = random.Random(seed)  # nosec B311
    by_district = _live_products_by_district()
    now = utcnow()
    seller_ids = _add_sellers(by_district, sellers_per_district, now)
    db.session.commit()
    echo(f"  {sum(len(v) for v in seller_ids.values())} sellers in {len(by_district)} districts")

    districts = sorted(by_district)
    made = 0
    while made < listings:
        batch = min(BATCH, listings - made)
        for _ in range(batch):
            _add_listing(rng, districts, by_district, seller_ids, number=made, of=listings,
                         now=now)
            made += 1
        db.session.commit()
        db.session.expunge_all()
        echo(f"  {made} listings")
    # After the live ones, so that the same seed gives the same live listings whatever `pending`.
    for number in range(made, made + pending):
        _add_listing(rng, districts, by_district, seller_ids, number=number, of=made + pending,
                     now=now, waiting=True)
    db.session.commit()
    if pending:
        echo(f"  {pending} listings waiting for review")
    echo(f"  search index: {search.rebuild_index()} documents")
    echo(f"  on the shop: {shop_listings.rebuild()} listings")
    db.session.commit()
    return made


def _live_products_by_district() -> dict[int, list]:
    products = db.session.execute(
        select(OdopProduct.id, OdopProduct.name, OdopProduct.district_lgd_code,
               OdopProduct.sector)
        .where(OdopProduct.retired_at.is_(None))).all()
    if not products:
        raise RuntimeError("Import the ODOP list first (flask import-odop).")
    by_district: dict[int, list] = {}
    for product in products:
        by_district.setdefault(product.district_lgd_code, []).append(product)
    return by_district


def _add_sellers(by_district: dict[int, list], per_district: int, now) -> dict[int, list[int]]:
    # Approved sellers of every product of their district; their ids by district.
    state_of = dict(db.session.execute(select(District.lgd_code, District.state_lgd_code)).all())
    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    # Not a hash of any password, so no generated account can ever log in.
    password_hash = "bench-data-cannot-log-in"  # nosec B105
    seller_ids: dict[int, list[int]] = {}
    for offset, district in enumerate(sorted(by_district)):
        for n in range(per_district):
            number = start + offset * per_district + n
            user_id = db.session.execute(insert(User).values(
                email=f"bench-seller-{number}@example.com", full_name=f"Bench Seller {number}",
                password_hash=password_hash, role=Role.SELLER.value, created_at=now,
                email_verified_at=now).returning(User.id)).scalar_one()
            seller_id = db.session.execute(insert(Seller).values(
                user_id=user_id, status=SellerStatus.APPROVED.value, seller_type="artisan",
                state_lgd_code=state_of[district], district_lgd_code=district,
                legal_name=f"Bench Seller {number}", display_name=f"Workshop {number}",
                story="A family workshop.", created_at=now, approved_at=now,
                address_line1="1 Market Road", address_city="Town", address_pin="110001",
                grievance_name="Bench", grievance_phone="9876543210",
                grievance_email="bench@example.com", gst_mode="exempt",
                gst_exemption="handmade").returning(Seller.id)).scalar_one()
            db.session.execute(insert(seller_product), [
                {"seller_id": seller_id, "odop_product_id": p.id} for p in by_district[district]])
            seller_ids.setdefault(district, []).append(seller_id)
    return seller_ids


def _add_listing(rng: random.Random, districts: list[int], by_district: dict[int, list],
                 seller_ids: dict[int, list[int]], *, number: int, of: int, now,
                 waiting: bool = False) -> None:
    # One live listing (content, cover photo record, listing) of a random district's product;
    # approval times step back a minute per listing so "newest" has an order. A waiting one is
    # a new listing sent for review: its content is the draft, and it was never approved.
    district = rng.choice(districts)
    product = rng.choice(by_district[district])
    title = (f"{rng.choice(ADJECTIVES)} {rng.choice(COLOURS)} {product.name}"
             f" #{number + 1}")[:120]
    content_id = db.session.execute(insert(ListingContent).values(
        odop_product_id=product.id, title=title,
        description=f"{title}. Made in the district by hand. {rng.choice(HINDI)}",
        unit="piece", net_quantity_milli=1000, gst_rate=rng.choice((0, 5, 12)),
        country_of_origin="India", prepackaged=False, created_at=now
    ).returning(ListingContent.id)).scalar_one()
    digest = hashlib.sha256(f"bench-{number}".encode()).hexdigest()
    db.session.execute(insert(ListingPhoto).values(
        content_id=content_id, position=0, digest=digest, width=1600, height=1200))
    price = rng.randrange(100, 50_000) * 100
    approved = now - timedelta(minutes=of - number)
    if waiting:
        db.session.execute(insert(Listing).values(
            seller_id=rng.choice(seller_ids[district]), status=ListingStatus.SUBMITTED.value,
            price_paise=price, mrp_paise=price, stock=10, draft_content_id=content_id,
            created_at=approved, updated_at=approved, submitted_at=approved))
        return
    db.session.execute(insert(Listing).values(
        seller_id=rng.choice(seller_ids[district]), status=ListingStatus.APPROVED.value,
        price_paise=price, mrp_paise=price + rng.choice((0, 0, price // 10)),
        stock=rng.choice((0, 1, 3, 10, 25)) if rng.random() > 0.1 else 5,
        made_to_order=(made_to_order := rng.random() < 0.1),
        lead_time_days=14 if made_to_order else None,
        live_content_id=content_id, created_at=approved, updated_at=approved,
        submitted_at=approved, approved_at=approved, first_approved_at=approved))
