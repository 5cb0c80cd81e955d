"""Full-text search over listings, behind one query function.

SQLite (the embedded default) uses an FTS5 table; PostgreSQL a tsvector with a GIN index. Each
holds one document per listing: its approved title, the place and craft names (ODOP product,
district as LGD and the ODOP list spell it, state), and its description. The index is written
when a listing's approved version changes; a search reads only listings on the shop, joining the
index with shop_listing (models/shop.py), and filters and sorts on that table's columns.

A new search reads at most WINDOW matches, newest first, its filters applied in the same
statement, then sorts, pages (by number, or by sort key for the API) and counts facets among
those in Python: a common word at 100,000 listings costs what a rare one does.
"""

import bisect
import math
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, bindparam, column, func, literal_column, select, table, text

from odop_bazaar import page_cache
from odop_bazaar.extensions import db
from odop_bazaar.models.reference import SECTORS, State
from odop_bazaar.models.shop import ShopListing, Topic
from odop_bazaar.services.catalogue import storefront, word_forms

# The index itself (written as listings change) lives in search_index.py; its names stay
# importable from here, where the rest of the code has always found them.
from odop_bazaar.services.catalogue.search_index import (  # noqa: F401
    INDEX_DDL,
    PG_INDEX,
    create_index,
    dialect,
    index_listing,
    normalise,
    rebuild_index,
    reindex_products,
    words_of,
    write_every_document,
)
from odop_bazaar.services.errors import FieldErrors

PAGE_SIZE = 24
MAX_TERMS = 8
SORTS = ("relevance", "newest", "price_asc", "price_desc")



def terms(query: str) -> list[str]:
    """The words of a query (search_index.words_of), at most MAX_TERMS of them."""
    return words_of(query)[:MAX_TERMS]


def _forms(word: str) -> tuple[list[str], list[str]]:
    """What one query word may match: (words, as prefixes, in the title, places and body;
    sound keys in the sounds part). See word_forms.py."""
    words = [word, *word_forms.translations(word)]
    if word_forms.is_devanagari(word):
        keys = [word_forms.key_token(word), word_forms.key_token(word, of_script="lat")]
    else:
        keys = [word_forms.key_token(word, of_script="dev")]
        if (singular := word_forms.singular(word)) != word:
            words.append(singular)  # "bangles" finds "bangle" as "bangle" finds "bangles"
    return [term for term in words if term], [key for key in keys if key]


def _fts5_expression(words: list[str]) -> str:
    """Every word, in any of its forms: `({title places body}: "w"* OR {sounds}: "key") AND …`"""
    clauses = []
    for word in words:
        written, keys = _forms(word)
        alternatives = [f'{{title places body}}: "{term}"*' for term in written]
        alternatives += [f'{{sounds}}: "{key}"' for key in keys]
        clauses.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(clauses)


def _tsquery(words: list[str]) -> str:
    """Every word, in any of its forms: `(w:*ABC | key:D) & …`"""
    clauses = []
    for word in words:
        written, keys = _forms(word)
        alternatives = [f"{term}:*ABC" for term in written] + [f"{key}:D" for key in keys]
        clauses.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(clauses)


def _matches(words: list[str]):
    """A select of (listing_id, rank) for listings matching every word (as a prefix, or by
    the forms word_forms.py finds for it)."""
    if dialect() == "sqlite":
        return (select(column("rowid", Integer).label("listing_id"),
                       literal_column("bm25(listing_search, 10.0, 4.0, 1.0, 0.5)").label("rank"))
                .select_from(table("listing_search"))
                .where(text("listing_search MATCH :match").bindparams(
                    match=_fts5_expression(words)))
                .subquery())
    tsquery = func.to_tsquery("simple", bindparam("tsquery", _tsquery(words)))
    return (select(PG_INDEX.c.listing_id,
                   (-func.ts_rank(PG_INDEX.c.document, tsquery)).label("rank"))
            .where(PG_INDEX.c.document.op("@@")(tsquery))
            .subquery())


@dataclass
class Filters:
    sector: str | None = None
    state: int | None = None
    district: int | None = None
    min_price_paise: int | None = None
    max_price_paise: int | None = None
    gi_only: bool = False
    in_stock_only: bool = False
    sort: str = "relevance"
    page: int = 1

    @property
    def active(self) -> bool:
        """Whether anything narrows the search besides its words."""
        return bool(self.sector or self.state or self.district or self.gi_only
                    or self.in_stock_only or self.min_price_paise is not None
                    or self.max_price_paise is not None)

    def without(self, name: str) -> "Filters":
        values = dict(self.__dict__)
        values[name] = Filters.__dataclass_fields__[name].default
        values["page"] = 1
        return Filters(**values)

    def cache_key(self) -> str:
        """Everything but the page: the pages of one search share one cached result set."""
        return repr({name: value for name, value in self.__dict__.items() if name != "page"})


@dataclass
class Facet:
    value: object
    label: object
    count: int


@dataclass
class SearchResult:
    cards: list
    total: int
    page: int
    pages: int
    sectors: list[Facet] = field(default_factory=list)
    states: list[Facet] = field(default_factory=list)
    districts: list[Facet] = field(default_factory=list)
    # More than WINDOW listings match: `total` is the WINDOW newest, and facet counts of a
    # window that was full are at least what they say.
    more: bool = False
    facets_more: bool = False
    next_key: tuple | None = None  # search_after(): the last card's sort key, if more follow


# The most matches a search looks at, newest first (enough for the 42 pages a buyer reads).
WINDOW = 1000


@dataclass
class _Window:
    """The matching listings a search looks at (at most WINDOW), as plain values."""
    rows: list[tuple]  # (listing id, rank, price, first approved at, sector, state, its name,
    more: bool         #  district, its name, for sale)


@dataclass
class _ResultSet:
    """One search worked out once and cached until searches change (page_versions.py): its
    ids in order with their sort keys, and its facet counts (plain values, no translations)."""

    ids: list[int]
    more: bool
    facets_more: bool
    sectors: dict[str, int]
    states: list[tuple[int, str, int]]
    districts: list[tuple[int, str, int]]
    keys: list[tuple]  # each id's sort key (_SORT_KEYS), ascending


def _found(query: str, filters: Filters) -> _ResultSet:
    words = terms(query)
    key = page_cache.data_key(Topic.SEARCH, " ".join(words), filters.cache_key())
    return page_cache.cached(key, lambda: _result_set(words, filters))


def _result(found: _ResultSet, ids: list[int], page: int, pages: int, next_key=None):
    return SearchResult(
        storefront.cards_by_id(ids), len(found.ids), page, pages,
        sectors=[Facet(term.value, term.label, found.sectors[term.value]) for term in SECTORS
                 if found.sectors.get(term.value)],
        states=[Facet(*row) for row in found.states],
        districts=[Facet(*row) for row in found.districts], more=found.more,
        facets_more=found.facets_more, next_key=next_key)


def search_listings(query: str, filters: Filters) -> SearchResult:
    """Listings on the shop matching every word of the query, filtered, sorted and paged."""
    found = _found(query, filters)
    pages = max(1, -(-len(found.ids) // PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    return _result(found, found.ids[start:start + PAGE_SIZE], page, pages)


def search_after(query: str, filters: Filters, after: list | None, limit: int) -> SearchResult:
    """search_listings() paged by keyset: the `limit` listings that sort after `after` (the
    `next_key` of the page before), so a listing added between pages repeats or skips none.

    Raises:
        FieldErrors: `after` is not a sort key a search gave.
    """
    found, start = _found(query, filters), 0
    if after is not None:
        if len(after) != 2 or not all(type(value) in (int, float) and math.isfinite(value)
                                      for value in after):
            raise FieldErrors({"after": _l("This is not where a page of this search ends. "
                                           "Start again from the first page.")})
        start = bisect.bisect_right(found.keys, tuple(after))
    end = start + limit
    return _result(found, found.ids[start:end], 1, 1, found.keys[end - 1] if end < len(
        found.ids) else None)


def _window(words: list[str], filters: Filters) -> _Window:
    """One statement: the newest WINDOW + 1 listings on the shop matching the words and filters.

    With words, sold-out listings are found too (sorted after the rest: SOLD_OUT_LAST). The
    full-text index is read newest first (its rowid, or listing_id, order) and each match
    looked up in shop_listing by key, so the walk stops once the window is full; the rank is
    worked out only for the rows kept.
    """
    columns = (ShopListing.price_paise, ShopListing.first_approved_at, ShopListing.sector,
               ShopListing.state_lgd_code, State.name, ShopListing.district_lgd_code,
               ShopListing.district_name, ShopListing.for_sale)
    if words:
        matches = _matches(words)
        query = (select(ShopListing.listing_id, matches.c.rank, *columns)
                 .join(matches, matches.c.listing_id == ShopListing.listing_id)
                 .order_by(matches.c.listing_id.desc()))
    else:  # no words: a list of everything, which like every list page shows what is for sale
        query = (select(ShopListing.listing_id, literal_column("0"), *columns)
                 .where(ShopListing.for_sale)
                 .order_by(ShopListing.first_approved_at.desc(), ShopListing.listing_id.desc()))
    query = _apply(query.join(State, State.lgd_code == ShopListing.state_lgd_code), filters)
    rows = [tuple(row) for row in db.session.execute(query.limit(WINDOW + 1))]
    return _Window(rows[:WINDOW], len(rows) > WINDOW)


# Added to the rank of a sold-out listing: by relevance, whatever can be bought comes first (both
# databases' ranks are between -1000 and 0, lower first).
SOLD_OUT_LAST = 1000.0
# Orders of a window's rows, as the SQL ones were: ties broken by listing id.
_SORT_KEYS = {
    "relevance": lambda row: (row[1] + (0 if row[9] else SOLD_OUT_LAST), -row[0]),
    "newest": lambda row: (-row[3].timestamp(), -row[0]),
    "price_asc": lambda row: (row[2], row[0]),
    "price_desc": lambda row: (-row[2], -row[0]),
}


def _result_set(words: list[str], filters: Filters) -> _ResultSet:
    """The window's ids in the order asked, and facet counts that each ignore their own filter
    (a facet whose filter is on is counted in a window without it: one more statement)."""
    found = _window(words, filters)
    sort = "newest" if filters.sort == "relevance" and not words else filters.sort
    rows = sorted(found.rows, key=_SORT_KEYS[sort])
    capped = [found.more]
    def window_without(*names):
        if not any(getattr(filters, name) for name in names):
            return found.rows
        narrowed = filters
        for name in names:
            narrowed = narrowed.without(name)
        other = _window(words, narrowed)
        capped.append(other.more)
        return other.rows

    sectors = _count(window_without("sector"), (4,))
    states = sorted(_count(window_without("state", "district"), (5, 6)).items(),
                    key=lambda item: item[0][1])
    districts = sorted(_count(window_without("district"), (7, 8)).items(),
                       key=lambda item: item[0][1]) if filters.state else []
    return _ResultSet([row[0] for row in rows], found.more, any(capped),
                      {key[0]: count for key, count in sectors.items()},
                      [(*key, count) for key, count in states],
                      [(*key, count) for key, count in districts],
                      [_SORT_KEYS[sort](row) for row in rows])


def _count(rows: list[tuple], positions: tuple[int, ...]) -> dict[tuple, int]:
    return Counter(tuple(row[position] for position in positions) for row in rows)


def _apply(query, filters: Filters):
    if filters.sector:
        query = query.where(ShopListing.sector == filters.sector)
    if filters.state:
        query = query.where(ShopListing.state_lgd_code == filters.state)
    if filters.district:
        query = query.where(ShopListing.district_lgd_code == filters.district)
    if filters.min_price_paise is not None:
        query = query.where(ShopListing.price_paise >= filters.min_price_paise)
    if filters.max_price_paise is not None:
        query = query.where(ShopListing.price_paise <= filters.max_price_paise)
    if filters.gi_only:
        query = query.where(ShopListing.gi_tagged.is_(True))
    if filters.in_stock_only:
        query = query.where(ShopListing.in_stock.is_(True))
    return query
