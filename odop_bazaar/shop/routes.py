"""The storefront: product pages, makers' shop pages and the sitemap."""

import math
import re

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from sqlalchemy import select

from odop_bazaar import page_cache
from odop_bazaar.extensions import db
from odop_bazaar.http_caching import buyer_page
from odop_bazaar.models import District, State
from odop_bazaar.models.reference import SECTORS
from odop_bazaar.models.shop import Topic
from odop_bazaar.payments import card_payments_enabled
from odop_bazaar.services.catalogue import seller_shop, storefront
from odop_bazaar.services.reviews import queries as review_queries
from odop_bazaar.shop import bp


@bp.get("/products/<id:listing_id>", defaults={"slug": None})
@bp.get("/products/<id:listing_id>-<slug>")
@buyer_page
def product(listing_id: int, slug: str | None):
    # Any change the page shows (its stock too, its reviews, or the listing leaving the shop)
    # moves the version of its topic: a cached page costs no query of its own.
    reviews_page = _page_number()
    parts = page_cache.cached(page_cache.key(Topic.listing(listing_id), reviews_page),
                              lambda: _product_parts(listing_id, reviews_page))
    if parts is None:
        abort(404)
    if slug != parts["slug"]:
        # One address per product, whatever the title was when the link was shared.
        return redirect(url_for("shop.product", listing_id=listing_id, slug=parts["slug"],
                                page=reviews_page if reviews_page > 1 else None), 301)
    return page_cache.render_page(parts)


def _page_number() -> int:
    page_arg = request.args.get("page", "")
    return int(page_arg) if re.fullmatch(r"[1-9][0-9]{0,5}", page_arg) else 1


def _product_parts(listing_id: int, reviews_page: int = 1) -> dict | None:
    page = storefront.product_page(listing_id)
    reviews = review_queries.product_reviews(listing_id, reviews_page) if page else None
    if reviews is None:  # not on the shop, or a page of reviews past the last
        return None
    config = current_app.config
    parts = page_cache.render_parts(
        "shop/product.html", page=page, listing=page.listing, content=page.content,
        seller=page.seller, product=page.product, reviews=reviews, return_days=config["RETURN_WINDOW_DAYS"],
        dispatch_days=config["DISPATCH_DAYS"], card_payments=card_payments_enabled(),
        marketplace_grievance={"name": config["GRIEVANCE_OFFICER_NAME"],
                               "email": config["GRIEVANCE_OFFICER_EMAIL"],
                               "phone": config["GRIEVANCE_OFFICER_PHONE"]})
    return {**parts, "slug": page.slug}


@bp.get("/sellers/<id:seller_id>", defaults={"slug": None})
@bp.get("/sellers/<id:seller_id>-<slug>")
@buyer_page
def seller(seller_id: int, slug: str | None):
    """A maker's shop page: who they are, photos of their work, their listings a page at a time."""
    page = _page_number()
    # Their profile and listings on the shop move the version of their topic (shop_listings.py).
    parts = page_cache.cached(page_cache.key(Topic.seller(seller_id), page),
                              lambda: _seller_parts(seller_id, page))
    if parts is None:
        abort(404)
    if slug != parts["slug"]:
        return redirect(url_for("shop.seller", seller_id=seller_id, slug=parts["slug"],
                                page=page if page > 1 else None), 301)
    return page_cache.render_page(parts)


def _seller_parts(seller_id: int, page: int) -> dict | None:
    shop = seller_shop.seller_shop(seller_id, page)
    if shop is None:
        return None
    # shop.rating: a review published or hidden notes Topic.seller too (reviews/writing.py).
    parts = page_cache.render_parts("shop/seller.html", shop=shop, rating=shop.rating)
    return {**parts, "slug": shop.slug}


@bp.app_template_global()
def seller_url(seller_id: int, name: str | None = None) -> str:
    """The address of a maker's shop page (without their name, it redirects to the right one)."""
    if name is None:
        return url_for("shop.seller", seller_id=seller_id)
    return url_for("shop.seller", seller_id=seller_id, slug=storefront.slugify(name))


def _public_addresses() -> list[tuple[str, None]]:
    """Home, states, districts, sectors and makers: the pages of the sitemap that are not
    products."""
    urls = [(url_for("public.index", _external=True), None)]
    urls += [(url_for("public.state", lgd_code=code, _external=True), None)
             for code in db.session.scalars(select(State.lgd_code).order_by(State.lgd_code))]
    urls += [(url_for("public.district", lgd_code=code, _external=True), None)
             for code in db.session.scalars(select(District.lgd_code).order_by(District.lgd_code))]
    urls += [(url_for("public.sector", slug=term.slug, _external=True), None) for term in SECTORS]
    urls += [(url_for("shop.seller", seller_id=seller_id, slug=storefront.slugify(name),
                      _external=True), None)
             for seller_id, name in seller_shop.sitemap_sellers()]
    return urls


def _product_addresses(offset: int, limit: int) -> list[tuple[str, object]]:
    return [(url_for("shop.product", listing_id=listing_id, slug=storefront.slugify(title),
                     _external=True), approved_at)
            for listing_id, title, approved_at in storefront.sitemap_products(offset, limit)]


def _xml(template: str, **context):
    response = make_response(render_template(template, **context))
    response.headers["Content-Type"] = "application/xml; charset=utf-8"
    return response


@bp.get("/sitemap.xml")
def sitemap():
    """The public pages for search engines: home, states, districts, sectors, makers and products.

    One file holds at most SITEMAP_MAX_URLS addresses; past that this is an index of the
    numbered files, so that no product is left out.
    """
    per_file = current_app.config["SITEMAP_MAX_URLS"]
    public = _public_addresses()
    total = len(public) + storefront.sitemap_product_count()
    if total <= per_file:
        return _xml("shop/sitemap.xml", urls=public + _product_addresses(0, per_file))
    files = [url_for("shop.sitemap_page", page=page, _external=True)
             for page in range(1, math.ceil(total / per_file) + 1)]
    return _xml("shop/sitemap_index.xml", files=files)


@bp.get("/sitemap-<id:page>.xml")
def sitemap_page(page: int):
    """One numbered file of the sitemap: the public pages first, then products by id."""
    if page == 0:
        abort(404)
    per_file = current_app.config["SITEMAP_MAX_URLS"]
    public = _public_addresses()
    start, end = (page - 1) * per_file, page * per_file
    urls = public[start:end]
    if end > len(public):
        first = max(start - len(public), 0)
        urls += _product_addresses(first, end - len(public) - first)
    if not urls:
        abort(404)
    return _xml("shop/sitemap.xml", urls=urls)
