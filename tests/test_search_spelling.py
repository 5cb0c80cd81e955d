"""A search with a small misspelling still finds things: "banarsi saree" shows the Banarasi
sarees, says "Showing results for banarasi saree", and offers the search as typed."""

import html
import re

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Seller
from tests.factories import listing, make_places, make_seller


def _shop(app):
    make_places(app)
    _, weaver_id = make_seller(app, "approved")  # Varanasi: Banarasi Silk Sarees
    _, smith_id = make_seller(app, "approved", seller_type="artisan", district=171,
                              product_names=("Metal Craft",))
    listing(app, weaver_id, "Red Banarasi silk saree")
    listing(app, smith_id, "Brass puja diya")


def _page(client, **args) -> str:
    return html.unescape(client.get("/search", query_string=args).get_data(as_text=True))


def test_a_misspelt_word_is_corrected_and_the_page_says_so(app, client):
    _shop(app)
    page = _page(client, q="banarsi saree")
    assert "Red Banarasi silk saree" in page and "Brass puja diya" not in page
    assert "Showing results for banarasi saree." in page
    assert "1 product for “banarasi saree”" in page
    as_typed = re.search(r'<a href="([^"]+)">Search instead for “banarsi saree”', page).group(1)
    page = html.unescape(client.get(as_typed).get_data(as_text=True))
    assert "0 products for “banarsi saree”" in page and "Showing results for" not in page


def test_words_that_match_are_not_corrected_and_nonsense_stays_unfound(app, client):
    _shop(app)
    page = _page(client, q="banarasi")
    assert "Red Banarasi silk saree" in page and "Showing results for" not in page
    page = _page(client, q="qzxvw")
    assert "0 products for “qzxvw”" in page and "Showing results for" not in page
    page = _page(client, q="brass puja diyaa")  # one letter too many
    assert "Brass puja diya" in page and "Showing results for brass puja diya." in page


def test_a_word_the_shop_starts_using_is_offered_at_once(app, client):
    """The vocabulary is cached per version of the shop's searches: a new listing's words are
    offered as soon as searches show it."""
    _shop(app)
    page = _page(client, q="kanjivaram")
    assert "0 products for “kanjivaram”" in page and "Showing results for" not in page
    with app.app_context():
        seller_id = db.session.scalar(select(Seller.id).order_by(Seller.id))
    listing(app, seller_id, "Kanjeevaram silk saree")
    page = _page(client, q="kanjivaram")
    assert "Kanjeevaram silk saree" in page and "Showing results for kanjeevaram." in page


def test_a_hindi_word_spelt_another_way_still_finds_it(app, client):
    """बनारासी for बनारसी: the same sound (word_forms.py), so found without a correction."""
    make_places(app)
    _, weaver_id = make_seller(app, "approved")
    listing(app, weaver_id, "Wedding saree", title_hi="शादी की बनारसी साड़ी")
    page = html.unescape(client.get("/hi/search", query_string={"q": "बनारासी"}).get_data(
        as_text=True))
    assert "शादी की बनारसी साड़ी" in page
