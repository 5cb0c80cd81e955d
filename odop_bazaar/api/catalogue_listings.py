"""The public catalogue's listings, for anyone and without a token: search with the search
page's filters, sorting and facets (paged by keyset), a listing's detail as its product page
shows it, and a maker's shop. Each view calls what the page calls (services/catalogue/search.py,
storefront.py, seller_shop.py, services/reviews/queries.py) and is a buyer page for HTTP
caches (Cache-Control, a strong ETag, 304s)."""


from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from odop_bazaar import page_cache
from odop_bazaar.api.blueprints import api_blueprint
from odop_bazaar.api.catalogue import product_json
from odop_bazaar.api.catalogue_schemas import (
    ListingDetailSchema,
    SearchArgs,
    SearchPageSchema,
    SellerShopSchema,
)
from odop_bazaar.api.paging import Page, PageArgs, decode_cursor, encode_cursor, link_header
from odop_bazaar.api.schemas_common import absolute_photo_url
from odop_bazaar.http_caching import buyer_page
from odop_bazaar.models.shop import Topic
from odop_bazaar.money import format_rupees
from odop_bazaar.payments import card_payments_enabled
from odop_bazaar.services.catalogue import search, seller_shop, storefront
from odop_bazaar.services.catalogue.images import FORMATS
from odop_bazaar.services.reference import places
from odop_bazaar.services.reviews import queries as review_queries
from odop_bazaar.templating import photo_widths

blp = api_blueprint("api_listings", __name__,
                    "The public catalogue: listings on the shop and makers' shops")


def photo_json(photo) -> dict:
    """A photo with the address of each of its files (every size, WebP and JPEG)."""
    return {"width": photo.width, "height": photo.height, "files": [
        {"size": size, "width": width, "format": extension, "media_type": media_type,
         "url": absolute_photo_url(photo, size, extension)}
        for size, width in photo_widths(photo).items() for extension, _format, media_type in FORMATS]}


def _rating_json(summary) -> dict:
    return {"count": summary.count, "average": summary.average,
            "per_star": [{"stars": stars, "count": count} for stars, count, _percent in summary.bars()]}


def card_json(card: storefront.Card) -> dict:
    """A search result or shop card."""
    return {
        "id": card.listing_id, "title": card.title, "title_hi": card.title_hi or None,
        "price_paise": card.price_paise,
        "mrp_paise": card.mrp_paise, "made_to_order": card.made_to_order,
        "sold_out": card.sold_out,
        "odop_product": {"id": card.odop_product_id, "name": card.product_name,
                         "name_hi": card.product_name_hi or None},
        "district": {"lgd_code": card.district_lgd_code, "name": card.district_name,
                     "name_hi": card.district_name_hi or None},
        "seller_name": card.seller_name,
        "cover": photo_json(card.cover) if card.cover else None,
        "rating": {"count": card.rating_count, "average": card.rating_average},
        "url": url_for("api_listings.listing", listing_id=card.listing_id, _external=True),
        "page_url": url_for("shop.product", listing_id=card.listing_id, slug=card.slug,
                            _external=True)}


def _facets_json(result: search.SearchResult) -> dict:
    def facets(found):
        return [{"value": facet.value, "label": str(facet.label), "count": facet.count}
                for facet in found]
    return {"sectors": facets(result.sectors), "states": facets(result.states),
            "districts": facets(result.districts), "at_least": result.facets_more}


@blp.get("/listings")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchPageSchema)
@buyer_page
def listings(args: dict):
    """Listings on the shop matching every word of `q`, with the search page's filters, order
    and facets. Follow `next` (or the Link header) for the next page."""
    after = decode_cursor(args["after"], 2)
    filters = search.Filters(
        sector=args.get("sector"), state=args.get("state"), district=args.get("district"),
        min_price_paise=args.get("min_price_paise"), max_price_paise=args.get("max_price_paise"),
        gi_only=args["gi"], in_stock_only=args["in_stock"], sort=args["sort"])
    result = search.search_after(args["q"], filters, after, args["limit"])
    places.localize_facets(result)
    page = Page([card_json(card) for card in result.cards],
                encode_cursor(list(result.next_key)) if result.next_key else None)
    return {**page.as_json(), "total": result.total, "more": result.more,
            "facets": _facets_json(result)}, link_header(page)


@blp.get("/listings/<id:listing_id>")
@blp.response(200, ListingDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
@buyer_page
def listing(listing_id: int):
    """A listing on the shop with its prices, photos, seller, rating and the disclosures its
    page shows. 404 when it is not on the shop."""
    # Cached like its page, under the listing's topic (any change the page shows moves it).
    key = page_cache.key(Topic.listing(listing_id), "api", request.host_url)
    return page_cache.cached(key, lambda: _detail(listing_id)) or abort(404)


def _detail(listing_id: int) -> dict | None:
    page = storefront.product_page(listing_id)
    if page is None:
        return None
    listing, content, seller = page.listing, page.content, page.seller
    summary = review_queries.product_reviews(listing_id).summary
    return {
        "id": listing.id, "title": content.title, "description": content.description,
        "title_hi": content.title_hi or None, "description_hi": content.description_hi or None,
        "odop_product": product_json(page.product),
        "district": _place(page.district), "state": _place(page.state),
        "price": _price_json(page), "net_quantity_milli": content.net_quantity_milli,
        "unit": content.unit, "unit_label": str(content.unit_enum.label),
        "stock": _stock_json(page),
        "photos": [photo_json(photo) for photo in content.ready_photos],
        "seller": seller_json(
            seller.id, seller.name_for_buyers, seller.type_enum.label if seller.type_enum
            else None, seller.district, seller.state, seller.year_started, seller.story),
        "rating": _rating_json(summary),
        "disclosures": _disclosures_json(page),
        "page_url": url_for("shop.product", listing_id=listing.id, slug=page.slug,
                            _external=True)}


def _price_json(page: storefront.ProductPage) -> dict:
    listing, content = page.listing, page.content
    return {"price_paise": listing.price_paise, "mrp_paise": listing.mrp_paise,
            "discount_percent": page.discount_percent, "gst_rate": content.gst_rate,
            "taxable_value_paise": page.taxable_paise, "gst_paise": page.gst_paise,
            "unit_price_paise": page.unit_price.paise if page.unit_price else None,
            "unit_price_per": page.unit_price.per.value if page.unit_price else None,
            "label": _("Inclusive of all taxes: %(taxable)s + GST %(rate)d%% %(gst)s",
                       taxable=format_rupees(page.taxable_paise), rate=content.gst_rate,
                       gst=format_rupees(page.gst_paise))}


def _stock_json(page: storefront.ProductPage) -> dict:
    listing, state, left = page.listing, page.stock_state, page.quantity_left
    if state == "made_to_order":
        label = _("Made to order: dispatched within %(n)d days of your order.",
                  n=listing.lead_time_days)
    elif state == "in_stock":
        label = ngettext("In stock: %(num)s left.", "In stock: %(num)s left.",
                         left) if left else _("In stock.")
    else:
        label = _("Out of stock.")
    return {"state": state, "label": label, "quantity_left": left,
            "lead_time_days": listing.lead_time_days if listing.made_to_order else None}


def _disclosures_json(page: storefront.ProductPage) -> dict:
    seller, content, config = page.seller, page.content, current_app.config
    registered = bool(seller.gst_registered and seller.gstin)
    return {
        "legal_name": seller.legal_name, "address_lines": page.seller_address_lines,
        "gst_registered": registered, "gstin": seller.gstin if registered else None,
        "gst_exemption": None if registered else str(seller.gst_exemption_for_buyers) or None,
        "country_of_origin": content.country_of_origin, "hsn_code": content.hsn_code,
        "return_days": config["RETURN_WINDOW_DAYS"],
        "dispatch_days": page.listing.lead_time_days if page.listing.made_to_order
        else config["DISPATCH_DAYS"],
        "payment_methods": ["cash_on_delivery", *(["card"] if card_payments_enabled() else [])],
        "grievance_officer": {"name": seller.grievance_name, "phone": seller.grievance_phone,
                              "email": seller.grievance_email},
        "marketplace_grievance_officer": {"name": config["GRIEVANCE_OFFICER_NAME"],
                                          "email": config["GRIEVANCE_OFFICER_EMAIL"],
                                          "phone": config["GRIEVANCE_OFFICER_PHONE"] or None},
        "packaged_goods": {
            "manufacturer_name": content.manufacturer_name,
            "manufacturer_address": content.manufacturer_address,
            "manufactured_month": content.manufactured_month,
            "consumer_care": content.consumer_care, "mrp_paise": page.listing.mrp_paise,
        } if content.prepackaged else None}


def _place(place) -> dict | None:
    return ({"lgd_code": place.lgd_code, "name": place.name, "name_hi": place.name_hi}
            if place else None)


def seller_json(seller_id: int, name: str, type_label, district, state,
                year_started: int | None, story: str | None) -> dict:
    """Who a maker is, as their product pages and shop page say."""
    return {"id": seller_id, "name": name, "type_label": str(type_label) if type_label else None,
            "district": _place(district), "state": _place(state),
            "year_started": year_started, "story": story,
            "url": url_for("api_listings.seller", seller_id=seller_id, _external=True),
            "page_url": url_for("shop.seller", seller_id=seller_id,
                                slug=storefront.slugify(name), _external=True)}


@blp.get("/sellers/<id:seller_id>")
@blp.arguments(PageArgs, location="query")
@blp.response(200, SellerShopSchema)
@blp.alt_response(404, response="NOT_FOUND")
@buyer_page
def seller(args: dict, seller_id: int):
    """A maker's shop: who they are, photos of their work, their rating and their listings on
    the shop, newest first, a page at a time. 404 for a seller without a shop."""
    shop = seller_shop.seller_shop(seller_id) or abort(404)
    cards, next_key = seller_shop.listings_after(
        seller_id, decode_cursor(args["after"], 2), args["limit"])
    page = Page([card_json(card) for card in cards], encode_cursor(next_key) if next_key else None)
    maker = seller_json(shop.seller_id, shop.name, shop.type_label, shop.district, shop.state,
                        shop.year_started, shop.story)
    return {**page.as_json(), "seller": maker, "live_listings": shop.total,
            "odop_products": [product_json(product) for product in shop.products],
            "member_since": shop.member_since, "rating": _rating_json(shop.rating),
            "work_photos": [{"listing_id": work.listing_id, "title": work.title,
                             "photo": photo_json(work.photo)} for work in shop.photos],
            }, link_header(page)
