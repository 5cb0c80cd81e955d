"""Search across scripts: a buyer who types a place or craft in Hindi finds what the English
names find, through the reference data's Hindi names and a listing's Hindi title."""

from sqlalchemy import select, update

from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import Listing, ListingContent
from odop_bazaar.services.catalogue import search
from odop_bazaar.services.reference import hindi_names
from tests.factories import listing, make_places, make_seller
from tests.hindi_helpers import write_hindi_names


def _titles(client, query: str) -> str:
    return client.get("/hi/search", query_string={"q": query}).get_data(as_text=True)


def _shop(app):
    make_places(app)
    _, weaver_id = make_seller(app, "approved")  # Varanasi, Banarasi Silk Sarees
    _, smith_id = make_seller(app, "approved", seller_type="artisan", district=171,
                              product_names=("Metal Craft",))
    listing(app, weaver_id, "Red silk saree")
    listing(app, smith_id, "Brass puja diya")


def test_hindi_place_and_craft_names_find_the_listings_of_that_place(app, client, tmp_path):
    _shop(app)
    # Without Hindi names, a place is still found by its sound (word_forms.py), but a craft's
    # translated name is not.
    assert "Red silk saree" in _titles(client, "वाराणसी")
    assert "Brass puja diya" not in _titles(client, "धातु शिल्प")
    with app.app_context():
        hindi_names.apply_names(write_hindi_names(tmp_path))
    varanasi = _titles(client, "वाराणसी")
    assert "Red silk saree" in varanasi and "Brass puja diya" not in varanasi
    moradabad = _titles(client, "मुरादाबाद")
    assert "Brass puja diya" in moradabad and "Red silk saree" not in moradabad
    assert "Red silk saree" in _titles(client, "बनारसी साड़ी")  # the ODOP product's Hindi name
    assert "Brass puja diya" in _titles(client, "धातु शिल्प")
    # A precomposed nukta (U+095C) typed by the buyer meets the name as stored.
    assert "Red silk saree" in _titles(client, "\u0938\u093e\u095c\u0940")
    assert "Red silk saree" in _titles(client, "Varanasi")  # English still works


def test_a_rebuilt_index_finds_the_hindi_title_and_names_too(app, client, tmp_path):
    _shop(app)
    with app.app_context():
        hindi_names.apply_names(write_hindi_names(tmp_path))
        content_id = db.session.scalar(select(Listing.live_content_id).where(
            Listing.live_content_id.is_not(None)).order_by(Listing.id).limit(1))
        db.session.execute(update(ListingContent).where(ListingContent.id == content_id)
                           .values(title_hi="लाल रेशमी साड़ी"))
        db.session.commit()
        search.rebuild_index()
    assert "Red silk saree" in _titles(client, "लाल")
    assert "Brass puja diya" in _titles(client, "मुरादाबाद")
