"""The search index: one document per live listing (its approved title, the place and craft
names in English and Hindi, its description, and the sound keys of all those words: see
word_forms.py), written when a listing's approved version or the reference names change. SQLite
keeps it in an FTS5 table (the keys in a column of their own); PostgreSQL in a tsvector with a
GIN index (the keys at weight D). search.py reads it.
"""

import unicodedata

from sqlalchemy import Integer, column, func, select, table, text
from sqlalchemy.engine import Connection

from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import Listing, ListingContent
from odop_bazaar.services.catalogue import word_forms

# Devanagari vowel signs and other marks count as part of a word, so "साड़ी" is one token.
_DEVANAGARI_MARKS = "".join(chr(code) for start, end in
                            ((0x900, 0x903), (0x93A, 0x94F), (0x951, 0x957), (0x962, 0x963))
                            for code in range(start, end + 1))
INDEX_DDL = {
    "sqlite": [
        "CREATE VIRTUAL TABLE IF NOT EXISTS listing_search USING fts5(title, places, body, sounds, "
        f"tokenize=\"unicode61 remove_diacritics 2 tokenchars '{_DEVANAGARI_MARKS}'\")",
    ],
    "postgresql": [
        "CREATE TABLE IF NOT EXISTS listing_search (listing_id INTEGER PRIMARY KEY "
        "REFERENCES listing (id) ON DELETE CASCADE, document TSVECTOR NOT NULL)",
        "CREATE INDEX IF NOT EXISTS ix_listing_search_document ON listing_search "
        "USING GIN (document)",
    ],
}
PG_INDEX = table("listing_search", column("listing_id", Integer), column("document"))


def create_index(connection: Connection) -> None:
    """Create the search index table for this database (migrations and tests call this)."""
    for statement in INDEX_DDL[connection.dialect.name]:
        connection.execute(text(statement))


# Joiners and soft hyphens change how a word looks, never which word it is.
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200d\u00ad"))


def normalise(text_value: str) -> str:
    """Text as the index and the query both see it: NFC, without invisible joiners.

    NFC splits the precomposed nukta letters (ड़ U+095C is ड + ़), so whichever way a seller or
    a buyer typed "साड़ी", both sides end up spelled the same.
    """
    return unicodedata.normalize("NFC", text_value or "").translate(_INVISIBLE)


def words_of(text_value: str) -> list[str]:
    """The words of a text, lower-cased; punctuation and search syntax are dropped.

    Letters, digits and combining marks make words: a Devanagari vowel sign (ि, ी, ़) is a mark,
    not a letter, and must not split "साड़ी" into pieces.
    """
    words, current = [], []
    for character in normalise(text_value):
        if character.isalnum() or unicodedata.category(character).startswith("M"):
            current.append(character)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return [word.lower() for word in words]


def dialect() -> str:
    return db.session.get_bind().dialect.name


def _document(listing: Listing) -> tuple[str, str, str]:
    content = listing.live_content
    product = content.odop_product
    district = product.district
    places = " ".join(dict.fromkeys(name for name in (
        product.name, product.name_hi, product.sector, district.name, district.name_hi,
        district.lgd_name, product.district_spelling, district.state.name,
        district.state.name_hi) if name))
    title = " ".join(filter(None, (content.title, content.title_hi)))
    body = " ".join(filter(None, (content.description, content.description_hi)))
    return normalise(title), normalise(places), normalise(body)


def sounds(title: str, places: str, body: str) -> str:
    """The sound keys of a document's words (word_forms.py), its fourth part."""
    return word_forms.document_keys(words_of(" ".join((title, places, body))))


_SQLITE_INSERT = text("INSERT INTO listing_search (rowid, title, places, body, sounds) "
                      "VALUES (:id, :title, :places, :body, :sounds)")
_PG_INSERT = text(
    "INSERT INTO listing_search (listing_id, document) VALUES (:id, "
    "setweight(to_tsvector('simple', :title), 'A') || "
    "setweight(to_tsvector('simple', :places), 'B') || "
    "setweight(to_tsvector('simple', :body), 'C') || "
    "setweight(to_tsvector('simple', :sounds), 'D'))")


def _write(connection: Connection, documents: list[dict]) -> None:
    """Insert documents ({id, title, places, body}), their sound keys worked out here."""
    for document in documents:
        document["sounds"] = sounds(document["title"], document["places"], document["body"])
    if documents:
        connection.execute(_SQLITE_INSERT if dialect() == "sqlite" else _PG_INSERT, documents)


def index_listing(listing: Listing) -> None:
    """Write (or remove) the listing's search document from its approved version.

    Part of the caller's unit of work: it does not commit.
    """
    connection = db.session.connection()
    if dialect() == "sqlite":
        connection.execute(text("DELETE FROM listing_search WHERE rowid = :id"),
                           {"id": listing.id})
    else:
        connection.execute(text("DELETE FROM listing_search WHERE listing_id = :id"),
                           {"id": listing.id})
    if listing.live_content is not None:
        title, places, body = _document(listing)
        _write(connection, [{"id": listing.id, "title": title, "places": places, "body": body}])


def reindex_products(product_ids: set[int]) -> None:
    """Rewrite the documents of listings whose approved version is of these products.

    Part of the caller's unit of work: it does not commit.
    """
    if not product_ids:
        return
    listings = db.session.scalars(
        select(Listing).join(ListingContent, ListingContent.id == Listing.live_content_id)
        .where(ListingContent.odop_product_id.in_(product_ids)))
    for listing in listings:
        index_listing(listing)


_LIVE_DOCUMENTS = (
    "FROM listing l JOIN listing_content c ON c.id = l.live_content_id "
    "JOIN odop_product p ON p.id = c.odop_product_id "
    "JOIN district d ON d.lgd_code = p.district_lgd_code "
    "JOIN state s ON s.lgd_code = d.state_lgd_code")
# A buyer may type a place or craft in either script: the Hindi names are in the document too.
# (coalesce: in SQL a missing Hindi name would make the whole concatenation NULL.)
_PLACES_SQL = ("p.name || ' ' || coalesce(p.name_hi, '') || ' ' || p.sector || ' ' || d.name || "
               "' ' || coalesce(d.name_hi, '') || ' ' || d.lgd_name || ' ' || "
               "p.district_spelling || ' ' || s.name || ' ' || coalesce(s.name_hi, '')")
_TITLE_SQL = "c.title || ' ' || coalesce(c.title_hi, '')"
_BODY_SQL = "c.description || ' ' || coalesce(c.description_hi, '')"


def rebuild_index() -> int:
    """Write every live listing's document again, in one statement. Commits."""
    write_every_document()
    count = db.session.scalar(select(func.count()).select_from(Listing).where(
        Listing.live_content_id.is_not(None)))
    db.session.commit()
    return count


def write_every_document() -> None:
    """Write every live listing's document again, as part of the caller's unit of work.

    Titles, descriptions and Hindi names are stored already normalised (services.catalogue.checks,
    services.reference.hindi_names), so SQL can put together the texts index_listing() writes;
    their sound keys are worked out here, a thousand documents at a time.
    """
    connection = db.session.connection()
    connection.execute(text("DELETE FROM listing_search"))
    rows = connection.execute(text(
        f"SELECT l.id, {_TITLE_SQL}, {_PLACES_SQL}, {_BODY_SQL} {_LIVE_DOCUMENTS}")).all()
    for start in range(0, len(rows), 1000):
        _write(connection, [{"id": row[0], "title": row[1], "places": row[2], "body": row[3]}
                            for row in rows[start:start + 1000]])
