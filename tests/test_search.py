"""Listing search: words in English and Devanagari, filters, sorting, facets and pages, on
SQLite (FTS5) and PostgreSQL (tsvector)."""

import re

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import OdopProduct, Seller, User
from odop_bazaar.services import catalogue as listings
from odop_bazaar.services.catalogue import search as search_service
from tests.factories import admin_user, make_jpeg, make_places, make_seller


def add(app, seller_id, title, price, *, description="", product=None, stock="3",
        made_to_order=False):
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        product_id = (db.session.scalar(select(OdopProduct.id).where(OdopProduct.name == product))
                      if product else seller.products[0].id)
        item = listings.create_listing(seller, {
            "odop_product_id": product_id, "title": title,
            "description": description or "Handmade.", "gst_rate": 5},
            {"price": price, "mrp": price, "stock": stock, "made_to_order": made_to_order,
             "lead_time_days": "7" if made_to_order else ""})
        listings.add_photos(seller, item, [listings.PhotoUpload("a.jpg", make_jpeg())])
        listings.submit_listing(seller, item)
        listings.approve_listing(item, staff)
        return item.id


@pytest.fixture
def catalogue(app):
    make_places(app)
    _, varanasi = make_seller(app, "approved")
    _, goa = make_seller(app, "approved", district=551, product_names=("Cashew",))
    _, toys = make_seller(app, "approved", product_names=("Wooden Lacquerware and Toys",))
    ids = {
        "toy": add(app, toys, "Lacquer toy elephant", "350"),  # Handicraft, not GI-tagged
        "red": add(app, varanasi, "Red Banarasi silk saree", "12000",
                   description="लाल बनारसी साड़ी, शुद्ध रेशम"),
        "green": add(app, varanasi, "Green silk dupatta", "4800", stock="0", made_to_order=True),
        "cashew": add(app, goa, "Roasted cashew nuts 500 g", "650"),
    }
    return ids


def titles(app, query, **filters):
    with app.test_request_context():
        result = search_service.search_listings(query, search_service.Filters(**filters))
        return [card.title for card in result.cards], result


def test_words_match_titles_descriptions_and_place_names(app, catalogue):
    assert set(titles(app, "silk")[0]) == {"Red Banarasi silk saree", "Green silk dupatta"}
    assert titles(app, "red saree")[0] == ["Red Banarasi silk saree"]
    # The ODOP product's name is searched too: both are "Banarasi Silk Sarees" of Varanasi.
    assert set(titles(app, "banarasi")[0]) == {"Red Banarasi silk saree", "Green silk dupatta"}
    assert set(titles(app, "varanasi")[0]) == {"Red Banarasi silk saree", "Green silk dupatta",
                                               "Lacquer toy elephant"}
    assert titles(app, "goa")[0] == ["Roasted cashew nuts 500 g"]
    assert titles(app, "cash")[0] == ["Roasted cashew nuts 500 g"]  # a word's beginning
    assert titles(app, "spaceship")[0] == []


def test_devanagari_words_are_found(app, catalogue):
    assert titles(app, "लाल")[0] == ["Red Banarasi silk saree"]  # its Hindi description
    assert titles(app, "शुद्ध रेशम")[0] == ["Red Banarasi silk saree"]
    # A Hindi word finds what its English twin finds: the glossary (साड़ी is saree, रेशम silk)
    # and the sound of the word (बनारसी is Banarasi), so the dupatta of the ODOP product
    # "Banarasi Silk Sarees" is found too.
    both = {"Red Banarasi silk saree", "Green silk dupatta"}
    assert set(titles(app, "साड़ी")[0]) == set(titles(app, "saree")[0]) == both
    assert set(titles(app, "बनारसी रेशम")[0]) == both


def test_the_title_weighs_more_than_the_description(app, catalogue):
    with app.app_context():
        seller_id = db.session.scalar(select(Seller.id).where(Seller.district_lgd_code == 187))
    add(app, seller_id, "Plain cotton stole", "900", description="Goes well with a silk saree.")
    found, _ = titles(app, "saree")
    assert found[0] == "Red Banarasi silk saree" and "Plain cotton stole" in found


def test_filters_sorting_and_facets(app, catalogue):
    assert titles(app, "", sector="Agriculture")[0] == ["Roasted cashew nuts 500 g"]
    assert set(titles(app, "", state=9)[0]) == {"Red Banarasi silk saree", "Green silk dupatta",
                                                "Lacquer toy elephant"}
    assert set(titles(app, "", state=9, district=187)[0]) == set(titles(app, "", state=9)[0])
    assert titles(app, "", state=9, district=171)[0] == []
    assert titles(app, "", min_price_paise=100000, max_price_paise=500000)[0] == [
        "Green silk dupatta"]
    in_stock = titles(app, "", in_stock_only=True)[0]
    assert "Green silk dupatta" not in in_stock and "Red Banarasi silk saree" in in_stock
    assert set(titles(app, "", gi_only=True)[0]) == {"Red Banarasi silk saree",
                                                     "Green silk dupatta",
                                                     "Roasted cashew nuts 500 g"}
    assert titles(app, "", sort="price_asc")[0] == [
        "Lacquer toy elephant", "Roasted cashew nuts 500 g", "Green silk dupatta",
        "Red Banarasi silk saree"]
    assert titles(app, "", sort="price_desc")[0][0] == "Red Banarasi silk saree"
    _, result = titles(app, "", sector="Handloom")
    sectors = {facet.value: facet.count for facet in result.sectors}
    assert sectors == {"Handloom": 2, "Agriculture": 1, "Handicraft": 1}  # ignores its own filter
    states = {facet.label: facet.count for facet in result.states}
    assert states == {"Uttar Pradesh": 2}
    _, result = titles(app, "", state=9)
    assert {facet.label: facet.count for facet in result.districts} == {"Varanasi": 3}


def test_pages(app, catalogue, monkeypatch):
    monkeypatch.setattr(search_service, "PAGE_SIZE", 2)
    first, result = titles(app, "", sort="price_asc")
    assert result.pages == 2 and result.total == 4 and len(first) == 2
    second, result = titles(app, "", sort="price_asc", page=2)
    assert second == ["Green silk dupatta", "Red Banarasi silk saree"]
    beyond, result = titles(app, "", sort="price_asc", page=99)
    assert beyond == second and result.page == 2


def test_an_approved_edit_reaches_the_index_and_an_unreviewed_one_does_not(app, catalogue):
    with app.test_request_context():
        from odop_bazaar.models import Listing

        item = db.session.get(Listing, catalogue["red"])
        listings.update_content(item.seller, item, {
            "odop_product_id": item.working_content.odop_product_id,
            "title": "Crimson katan saree", "description": "x", "gst_rate": 5})
        listings.submit_listing(item.seller, item)
    assert titles(app, "crimson")[0] == []
    with app.test_request_context():
        from odop_bazaar.models import Listing

        staff = db.session.scalar(select(User).where(User.role == "staff"))
        listings.approve_listing(db.session.get(Listing, catalogue["red"]), staff)
    assert titles(app, "crimson")[0] == ["Crimson katan saree"]
    assert titles(app, "red")[0] == []


def test_the_search_page_keeps_filters_in_the_url(app, client, catalogue):
    page = client.get("/search?q=silk&sector=Handloom&sort=price_asc").get_data(as_text=True)
    assert "2 products for “silk”" in page
    assert page.index("Green silk dupatta") < page.index("Red Banarasi silk saree")
    assert re.search(r'href="/search\?[^"]*sector=Agriculture', page) is None  # no such facet
    assert 'value="price_asc" selected' in page or 'selected value="price_asc"' in page
    for odd in ("?min_price=abc", "?state=99999999999", "?page=-3", "?sort=evil", "?sector=x",
                "?q=" + "%F0%9F%A7%B5" * 5):
        assert client.get("/search" + odd).status_code == 200, odd


def test_no_results_suggests_dropping_filters(app, client, catalogue):
    page = client.get("/search?q=cashew&sector=Handloom").get_data(as_text=True)
    assert "No product on sale matches “cashew”" in page
    assert 'href="/search?q=cashew"' in page


def test_devanagari_spelled_either_way_is_found(app, catalogue):
    with app.app_context():
        seller_id = db.session.scalar(select(Seller.id).where(Seller.district_lgd_code == 187))
    precomposed = "\u0938\u093e\u095c\u0940"  # साड़ी with the one-letter ड़ (U+095C)
    decomposed = "\u0938\u093e\u0921\u093c\u0940"  # the same word, ड + nukta
    add(app, seller_id, "Pink saree", "900", description=f"गुलाबी {precomposed}")
    assert "Pink saree" in titles(app, decomposed)[0]
    assert "Pink saree" in titles(app, precomposed)[0]
    assert "Pink saree" in titles(app, "गु\u200dलाबी")[0]  # a stray zero-width joiner


def test_hidden_listings_are_never_found(app, catalogue):
    from odop_bazaar.models import Listing
    from odop_bazaar.services import sellers as onboarding

    with app.test_request_context():
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        listings.remove_listing(db.session.get(Listing, catalogue["red"]), staff, ["prohibited"],
                                "")
        cashew = db.session.get(Listing, catalogue["cashew"])
        listings.unpublish_listing(cashew.seller, cashew)
        toy = db.session.get(Listing, catalogue["toy"])
        onboarding.suspend_seller(toy.seller, admin_user(), "Inquiry")
    assert titles(app, "")[0] == ["Green silk dupatta"]
    with app.app_context():
        green = db.session.get(Listing, catalogue["green"])
        green.made_to_order = False
        green.stock = 0
        db.session.commit()
    assert titles(app, "")[0] == []


def test_a_newer_odop_list_renaming_a_product_is_searchable_at_once(app, catalogue):
    import csv
    import io

    from odop_bazaar.services.reference.odop_list import import_odop_list

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["State", "Product", "District", "LGD Code", "Category", "Sector",
                     "Description", "GI Status", "Photo", "Ministry/ Department"])
    # The same product, re-spelt in capitals (the same product key) and moved to another sector.
    writer.writerow(["Goa", "CASHEW", "North Goa", "551", "Primary", "Food Processing", "",
                     "Yes", "", ""])
    with app.test_request_context():
        import_odop_list(out.getvalue().encode(), "v.csv", allow_mass_retire=True)
    found, result = titles(app, "food processing")
    assert found == ["Roasted cashew nuts 500 g"]


def test_a_search_reads_its_newest_window_of_matches_and_says_there_are_more(
        app, client, catalogue, monkeypatch):
    with app.app_context():
        seller_id = db.session.scalar(select(Seller.id).where(Seller.district_lgd_code == 187))
    for number, price in enumerate(("900", "500", "700", "800")):
        add(app, seller_id, f"Cotton saree {number}", price)
    monkeypatch.setattr(search_service, "WINDOW", 3)
    monkeypatch.setattr(search_service, "PAGE_SIZE", 2)
    # Five sarees match: the three newest are sorted as asked and paged; the oldest is left out.
    found, result = titles(app, "saree", sort="price_asc")
    assert found == ["Cotton saree 1", "Cotton saree 2"]
    assert result.more and result.total == 3 and result.pages == 2
    assert titles(app, "saree", sort="price_asc", page=2)[0] == ["Cotton saree 3"]
    assert titles(app, "saree", sort="newest")[0] == ["Cotton saree 3", "Cotton saree 2"]
    # A filter narrows before the window is taken: nothing matching it is left out.
    found, result = titles(app, "saree", min_price_paise=85000)
    assert set(found) | set(titles(app, "saree", min_price_paise=85000, page=2)[0]) == {
        "Cotton saree 0", "Green silk dupatta", "Red Banarasi silk saree"}
    assert not result.more and result.total == 3
    page = client.get("/search?q=saree").get_data(as_text=True)
    assert "More than 3 products for “saree”" in page
    assert "Handloom</a> (3+)" in page  # counted in a full window: at least that many
    assert "Add a word or a filter to narrow them." in page
    page = client.get("/search?q=saree&min_price=850").get_data(as_text=True)
    assert "3 products for “saree”" in page and "More than" not in page


def test_a_new_search_costs_the_same_however_many_listings_match(app, client, catalogue):
    """Its statements: the window, one window per facet whose own filter is on, the page's
    cards, the state choices and (on page 1) the places and crafts named like the words."""
    from tests.conftest import statements

    assert statements(app, client, "/search?q=saree") == statements(app, client, "/search?q=silk")
