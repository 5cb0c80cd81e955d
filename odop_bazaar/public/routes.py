"""Pages for every visitor: home, states, districts, sectors, search and product photos."""

import re

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from odop_bazaar import page_cache
from odop_bazaar.extensions import db
from odop_bazaar.http_caching import buyer_page
from odop_bazaar.identifiers import InvalidIdentifier
from odop_bazaar.models import District, State, sector_by_slug
from odop_bazaar.models.reference import sector_by_value
from odop_bazaar.models.shop import Topic
from odop_bazaar.money import parse_rupees
from odop_bazaar.public import bp
from odop_bazaar.public.forms import SearchForm
from odop_bazaar.services.catalogue import queries as listing_queries
from odop_bazaar.services.catalogue import search as search_service
from odop_bazaar.services.catalogue import seller_shop, spelling, storefront
from odop_bazaar.services.reference import places
from odop_bazaar.storage import storage
from odop_bazaar.web import streamed

# Buyer pages are cached (page_cache.py): each view says which topic its page shows and how to
# build its context, which runs only when the page is not cached for that topic's version.
# @buyer_page: an anonymous visitor's answer may be kept by any HTTP cache (http_caching.py).

@bp.get("/")
@buyer_page
def index():
    def context():
        newest = storefront.newest_cards()
        states = places.state_summaries()
        for_sale = storefront.listing_counts_by("state_lgd_code")
        sector_for_sale = storefront.listing_counts_by("sector")
        # Sectors with products for sale first (the most first); the rest in their own order.
        sectors = sorted(places.sector_summaries(),
                         key=lambda s: -sector_for_sale.get(s.term.value, 0))
        return dict(sectors=sectors, for_sale=for_sale, sector_for_sale=sector_for_sale,
                    states_selling=[s for s in states if for_sale.get(s.state.lgd_code)],
                    states_waiting=[s for s in states if not for_sale.get(s.state.lgd_code)],
                    newest=newest, search_form=SearchForm(),
                    new_districts=list({card.district_lgd_code: card
                                        for card in newest}.values())[:6])
    return page_cache.cached_page(page_cache.key(Topic.HOME), "public/index.html", context)


@bp.get("/states/<id:lgd_code>")
@buyer_page
def state(lgd_code: int):
    def context():
        state = db.get_or_404(State, lgd_code)
        districts = places.districts_with_products(state)
        counts = storefront.listing_counts_by_district(state.lgd_code)
        # Districts with something for sale first; the rest folded away below them.
        return dict(state=state, districts=districts, listing_counts=counts,
                    selling=[row for row in districts if counts.get(row[0].lgd_code)],
                    waiting=[row for row in districts if not counts.get(row[0].lgd_code)])
    return page_cache.cached_page(page_cache.key(Topic.state(lgd_code)), "public/state.html", context)


@bp.get("/districts/<id:lgd_code>")
@buyer_page
def district(lgd_code: int):
    def context():
        district = db.get_or_404(District, lgd_code, options=[joinedload(District.state)])
        return dict(district=district, products=places.district_products(district),
                    cards=storefront.district_cards(district.lgd_code),
                    makers=seller_shop.district_makers(district.lgd_code))
    return page_cache.cached_page(page_cache.key(Topic.district(lgd_code)), "public/district.html",
                                  context)


@bp.get("/sectors/<slug>")
@buyer_page
def sector(slug: str):
    term = sector_by_slug(slug)
    if term is None:
        abort(404)
    page = request.args.get("page", "1")
    page = int(page) if re.fullmatch(r"[1-9][0-9]{0,3}", page) else 1

    def context():
        count = storefront.listing_counts_by("sector").get(term.value, 0)
        pages = max(1, -(-count // storefront.SECTOR_NEWEST))
        return dict(sector=term, states=places.sector_products(term) if page == 1 else [],
                    cards=storefront.sector_cards(term.value, page=page), count=count,
                    page=page, pages=pages)
    return page_cache.cached_page(page_cache.key(Topic.sector(term.value), page),
                                  "public/sector.html", context)


def _filters(form: SearchForm) -> search_service.Filters:
    """The search filters from the URL; anything malformed is simply not applied."""
    def price(value):
        try:
            return parse_rupees(value) if (value or "").strip() else None
        except InvalidIdentifier:
            return None

    def as_id(value):
        return int(value) if re.fullmatch(r"[0-9]{1,9}", value or "") else None

    page = as_id(form.page.data) or 1
    sort = form.sort.data if form.sort.data in search_service.SORTS else "relevance"
    sector = form.sector.data if sector_by_value(form.sector.data) else None
    return search_service.Filters(
        sector=sector, state=as_id(form.state.data), district=as_id(form.district.data),
        min_price_paise=price(form.min_price.data), max_price_paise=price(form.max_price.data),
        gi_only=bool(form.gi.data), in_stock_only=bool(form.in_stock.data), sort=sort,
        page=min(page, 10_000))


@bp.get("/search")
@buyer_page
def search():
    form = SearchForm(request.args)
    query = (form.q.data or "").strip()
    if not form.validate():
        _state_choices(form)
        return render_template("public/search.html", form=form, query=query, results=None,
                               places_found=None), 400
    filters = _filters(form)

    def context():
        _state_choices(form)
        results, showing_for = spelling.search_or_correct(query, filters,
                                                          as_typed=bool(form.exact.data))
        places.localize_facets(results)
        places_found = places.search_reference(query) if query and filters.page == 1 else None
        return dict(form=form, query=query, results=results, filters=filters,
                    places_found=places_found, link=_search_link, showing_for=showing_for)
    # The page is a function of the search's own fields as typed (anything else in the address
    # is ignored, so junk parameters cannot fill the cache with copies of one page).
    typed = [(name, request.args.get(name, "")) for name in (*SearchForm.FIELDS, "page")]
    key = page_cache.key(Topic.SEARCH, repr(typed))
    return page_cache.cached_page(key, "public/search.html", context)


def _state_choices(form: SearchForm) -> None:
    form.state.choices = [SelectChoice("", _("All states"))] + [
        SelectChoice(str(code), name) for code, name in places.state_choices()]


def _search_link(**changes) -> str:
    """This search's URL with some parameters changed (None removes one); back to page 1."""
    args = {key: value for key, value in request.args.items()
            if value and key in SearchForm.FIELDS}
    args.pop("page", None)
    for key, value in changes.items():
        if value in (None, "", False):
            args.pop(key, None)
        else:
            args[key] = value
    return url_for("public.search", **args)


_PHOTO_KEY = re.compile(
    r"photos/[0-9a-f]{2}/(?P<digest>[0-9a-f]{64})-[0-9]{3,4}\.(?P<ext>webp|jpg)")


@bp.get("/media/<path:key>")
def media(key: str):
    """A product photo: to anyone when it is on the shop, else to its seller and staff."""
    match = _PHOTO_KEY.fullmatch(key)
    if not match:
        abort(404)
    audience = listing_queries.photo_audience(match.group("digest"), current_user)
    if audience is None:  # a removed photo, or a draft's shown to someone else
        abort(404)
    try:
        response = streamed(storage("public").open(key))
    except FileNotFoundError:
        abort(404)
    response.headers["Content-Type"] = "image/webp" if match.group("ext") == "webp" else "image/jpeg"
    # Names are content hashes, so the bytes never change; a day's caching lets a photo that
    # staff remove stop being served soon after.
    response.headers["Cache-Control"] = ("public, max-age=86400" if audience == "public"
                                         else "private, no-store")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
