"""Did you mean: a search that finds nothing is tried again with each unknown word replaced by
the closest word the shop uses ("banarsi saree" → "banarasi saree"), and the page says so.

The vocabulary is every word of the live listings' titles and of their ODOP product, district
and state names, in English and Hindi (shop_listing, the shop's read model). It is read only
when a search found nothing, which is rare and whose page is cached like any other.
"""

import difflib

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models.reference import State
from odop_bazaar.models.shop import ShopListing
from odop_bazaar.services.catalogue import search

# How alike a typed word and a shop word must be (difflib's ratio): "banarsi"/"banarasi" is 0.93,
# "saree"/"sari" 0.67 (not taken: different enough to be another word).
CLOSENESS = 0.75
SHORTEST = 4  # a three-letter word has too many neighbours to guess from


def vocabulary() -> set[str]:
    """Every word the shop's live listings are found by (titles, products, places)."""
    columns = (ShopListing.title, ShopListing.title_hi, ShopListing.product_name,
               ShopListing.product_name_hi, ShopListing.district_name,
               ShopListing.district_name_hi)
    words: set[str] = set()
    for row in db.session.execute(select(*columns).distinct()):
        for text in filter(None, row):
            words.update(search.terms(text))
    for row in db.session.execute(select(State.name, State.name_hi)):
        for text in filter(None, row):
            words.update(search.terms(text))
    return {word for word in words if len(word) >= SHORTEST}


def correct(query: str) -> str | None:
    """The query with its unknown words replaced by the shop's closest ones, or None when no
    word was changed."""
    words = search.terms(query)
    known = vocabulary()
    choices = sorted(known)
    corrected, changed = [], False
    for word in words:
        if word in known or len(word) < SHORTEST:
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, choices, n=1, cutoff=CLOSENESS)
        corrected.append(close[0] if close else word)
        changed = changed or bool(close)
    return " ".join(corrected) if changed else None


def search_or_correct(query: str, filters: search.Filters, *, as_typed: bool = False):
    """search_listings(); when it finds nothing, the corrected query's results instead.

    Returns (results, showing_for): showing_for is the corrected query, or None when the
    results are for the query as typed."""
    results = search.search_listings(query, filters)
    if results.total or not query or as_typed:
        return results, None
    corrected = correct(query)
    if corrected is None:
        return results, None
    again = search.search_listings(corrected, filters)
    return (again, corrected) if again.total else (results, None)
