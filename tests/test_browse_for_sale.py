"""Browsing leads with what is for sale: the home page counts products for sale per sector and
state (not reference products), a state lists its districts with products for sale first and
folds the rest away, a sector page lists its products for sale page by page above its
directory; and a listing going live updates them all at once, although the pages are cached."""

import re

from tests.factories import listing, make_places, make_seller


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _sector_card(html: str, label: str) -> str:
    return re.search(rf">{label}</a>(.*?)</li>", html, re.S).group(1)


def test_browse_pages_count_and_lead_with_products_for_sale(app, client):
    make_places(app)  # Uttar Pradesh: Moradabad and Varanasi; Goa: North Goa
    _, weaver = make_seller(app, "approved")  # Varanasi, handloom
    listing(app, weaver, "Red silk saree")
    for path in ("/", "/states/9", "/sectors/handloom", "/sectors/handicraft"):
        _html(client, path)  # cached now

    home = _html(client, "/")
    assert "1 product for sale" in _sector_card(home, "Handloom")
    assert "Nothing for sale yet" in _sector_card(home, "Handicraft")
    states_for_sale, _, waiting = home.partition("with nothing for sale yet (1)")
    assert 'href="/states/9"' in states_for_sale and 'href="/states/30"' in waiting  # Goa

    state = _html(client, "/states/9")
    selling, _, folded = state.partition("District with nothing for sale yet (1)")
    assert "Varanasi" in selling and "1 product for sale" in selling
    assert "Moradabad" in folded and "Moradabad" not in selling
    assert "<details" in state.split("Moradabad")[0].rsplit("Varanasi", 1)[1]

    sector = _html(client, "/sectors/handloom")
    assert "1 product for sale" in sector and "Red silk saree" in sector
    assert sector.index("Red silk saree") < sector.index("ODOP products of this sector")
    assert "Nothing is for sale in this sector yet." in _html(client, "/sectors/handicraft")

    # A brass lamp goes live in Moradabad: every count and list follows at once.
    _, brass = make_seller(app, "approved", district=171, product_names=("Metal Craft",))
    listing(app, brass, "Brass lamp")
    home = _html(client, "/")
    assert "1 product for sale" in _sector_card(home, "Handicraft")
    state = _html(client, "/states/9")
    assert "nothing for sale yet" not in state and "Moradabad" in state
    assert "Brass lamp" in _html(client, "/sectors/handicraft")


def test_a_sector_page_lists_its_products_page_by_page(app, client, monkeypatch):
    from odop_bazaar.services.catalogue import storefront

    monkeypatch.setattr(storefront, "SECTOR_NEWEST", 2)
    make_places(app)
    _, weaver = make_seller(app, "approved")
    for number in range(1, 6):
        listing(app, weaver, f"Saree {number}")
    first = _html(client, "/sectors/handloom")
    assert "5 products for sale" in first and "Page 1 of 3" in first
    assert "Saree 5" in first and "Saree 4" in first and "Saree 3" not in first
    last = _html(client, "/sectors/handloom?page=3")
    assert "Saree 1" in last and "Saree 2" not in last and "Page 3 of 3" in last
    assert "ODOP products of this sector" not in last  # the directory is on the first page
    junk = _html(client, "/sectors/handloom?page=junk")
    assert "Page 1 of 3" in junk and "Saree 5" in junk
