"""Did you mean: a search that finds nothing is tried again with each unknown word replaced by
the closest word the shop uses ("banarsi saree" → "banarasi saree"), and the page says so.

The vocabulary is every word of the listings on the shop (titles and their ODOP product,
district and state names, in English and Hindi: shop_listing, the shop's read model). It is read
once per version of the shop's searches (page_versions.py) and shared through the cache; each
worker indexes it by trigram (three-letter pieces, " ba", "ban", "ana" …), so a typed word is
compared only with the words that share enough of its pieces, as pg_trgm does, on SQLite and
PostgreSQL alike. difflib's ratio then picks the closest of those.
"""

import difflib
from collections import Counter
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from odop_bazaar import page_cache
from odop_bazaar.extensions import db
from odop_bazaar.models.reference import State
from odop_bazaar.models.shop import ShopListing, Topic
from odop_bazaar.services.catalogue import search

# How alike a typed word and a shop word must be (difflib's ratio): "banarsi"/"banarasi" is 0.93,
# "saree"/"sari" 0.67 (not taken: different enough to be another word).
CLOSENESS = 0.75
SHORTEST = 4  # a three-letter word has too many neighbours to guess from
# A candidate shares at least this share of the typed word's trigrams (pg_trgm's default
# similarity threshold is 0.3).
SHARED_TRIGRAMS = 0.3


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[start:start + 3] for start in range(len(padded) - 2)}


@dataclass
class Vocabulary:
    """The shop's words, and which words hold each trigram."""

    words: frozenset[str]
    by_trigram: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, words: list[str]) -> "Vocabulary":
        by_trigram: dict[str, list[str]] = {}
        for word in words:
            for trigram in _trigrams(word):
                by_trigram.setdefault(trigram, []).append(word)
        return cls(frozenset(words), {trigram: tuple(held) for trigram, held in
                                      by_trigram.items()})

    def closest(self, word: str) -> str | None:
        """The shop's word most like this one, if one is close enough."""
        pieces = _trigrams(word)
        shared = Counter(held for trigram in pieces for held in self.by_trigram.get(trigram, ()))
        candidates = sorted(held for held, count in shared.items()
                            if count >= SHARED_TRIGRAMS * len(pieces))
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=CLOSENESS)
        return close[0] if close else None


def _read_words() -> list[str]:
    """Every word the shop's listings are found by (titles, products, places), sorted."""
    columns = (ShopListing.title, ShopListing.title_hi, ShopListing.product_name,
               ShopListing.product_name_hi, ShopListing.district_name,
               ShopListing.district_name_hi)
    words: set[str] = set()
    for row in db.session.execute(select(*columns).distinct()):
        for text in filter(None, row):
            words.update(search.words_of(text))
    for row in db.session.execute(select(State.name, State.name_hi)):
        for text in filter(None, row):
            words.update(search.words_of(text))
    return sorted(word for word in words if len(word) >= SHORTEST)


def vocabulary() -> Vocabulary:
    """The shop's vocabulary as its searches are now: read once per version (shared through the
    cache), indexed once per worker (kept on the app, the newest version only)."""
    key = page_cache.data_key(Topic.SEARCH, "vocabulary")
    indexed = current_app.extensions.setdefault("spelling_vocabulary", {})
    vocabulary_now = indexed.get(key)
    if vocabulary_now is None:
        vocabulary_now = Vocabulary.of(page_cache.cached(key, _read_words))
        indexed.clear()
        indexed[key] = vocabulary_now
    return vocabulary_now


def correct(query: str) -> str | None:
    """The query with its unknown words replaced by the shop's closest ones, or None when no
    word was changed."""
    known = vocabulary()
    corrected, changed = [], False
    for word in search.terms(query):
        close = None if word in known.words or len(word) < SHORTEST else known.closest(word)
        corrected.append(close or word)
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
