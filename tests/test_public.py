"""Home, state, district, sector and search pages, in English and in Hindi."""

import re

import pytest

from tests.conftest import submit
from tests.factories import make_places, make_user


@pytest.fixture
def places(app):
    return make_places(app)


def page(client, path, language="en"):
    """A page at its address in `language`: English at /..., Hindi at /hi/...."""
    response = client.get(path if language == "en" else f"/{language}{path}")
    return response.status_code, response.get_data(as_text=True)


def test_home_shows_sectors_and_states_with_counts(client, places):
    status, html = page(client, "/")
    assert status == 200
    assert '<html lang="en">' in html
    assert "Handloom" in html and 'href="/sectors/handloom"' in html
    assert 'href="/states/9"' in html and "Uttar Pradesh" in html
    assert "2 districts" in html  # Uttar Pradesh
    # Nothing is for sale yet: the states are folded away under a count of them.
    assert "States and union territories with nothing for sale yet (2)" in html
    assert 'role="search"' in html and 'action="/search"' in html


def test_home_in_hindi(client, places):
    status, html = page(client, "/", "hi")
    assert status == 200
    assert '<html lang="hi">' in html
    assert "हथकरघा" in html  # Handloom
    assert "Handloom" not in html


def test_state_page_lists_its_districts_and_their_products(client, places):
    status, html = page(client, "/states/9")
    assert status == 200
    assert "<h1>Uttar Pradesh</h1>" in html
    assert 'href="/districts/171"' in html and 'href="/districts/187"' in html
    assert "Banarasi Silk Sarees" in html and "Metal Craft" in html
    assert "Cashew" not in html  # Goa's


def test_district_page_lists_products_by_rank_with_sector_and_gi(client, places):
    status, html = page(client, "/districts/187")
    assert status == 200
    assert html.index("Banarasi Silk Sarees") < html.index("Wooden Lacquerware and Toys")
    assert "Primary" in html and "Secondary" in html
    assert "GI tagged" in html and 'href="/sectors/handloom"' in html


@pytest.mark.parametrize("path", ["/", "/states/9", "/districts/187", "/sectors/handicraft",
                                  "/search?q=silk"])
def test_public_pages_render_in_both_languages(client, places, path):
    english_status, english = page(client, path, "en")
    hindi_status, hindi = page(client, path, "hi")
    assert english_status == hindi_status == 200
    assert "Skip to main content" in english and "Skip to main content" not in hindi
    assert english.count("<h1") == hindi.count("<h1") == 1


def test_sector_page_groups_products_by_state(client, places):
    status, html = page(client, "/sectors/handicraft")
    assert status == 200
    assert "Metal Craft" in html and "Wooden Lacquerware and Toys" in html
    assert "Cashew" not in html


@pytest.mark.parametrize("path", ["/states/999", "/districts/1", "/sectors/space", "/states/up"])
def test_unknown_places_are_a_friendly_404(client, places, path):
    status, html = page(client, path)
    assert status == 404 and "Page not found" in html


def test_search_finds_products_districts_and_states(client, places):
    _, html = page(client, "/search?q=silk+varanasi")
    assert "Banarasi Silk Sarees" in html and "Metal Craft" not in html
    _, html = page(client, "/search?q=Moradabad")
    assert 'href="/districts/171"' in html and "Metal Craft" in html
    _, html = page(client, "/search?q=goa")
    assert 'href="/states/30"' in html and "Cashew" in html


def test_search_with_no_match_says_so(client, places):
    status, html = page(client, "/search?q=spaceship")
    assert status == 200 and "No product on sale matches “spaceship”" in html
    assert 'value="spaceship"' in html


def test_search_treats_wildcards_as_text(client, places):
    for query in ("%25", "%22", "*", "NEAR(a", "a+OR+b", "-x", "'"):
        status, html = page(client, f"/search?q={query}")
        assert status == 200, query


def test_an_overlong_search_is_a_clear_400(client, places):
    status, html = page(client, "/search?q=" + "a" * 500)
    assert status == 400 and "at most 200 characters in your search" in html


def test_the_address_alone_decides_the_language(client, places):
    english = client.get("/states/9", headers={"Accept-Language": "hi"}).get_data(as_text=True)
    assert '<html lang="en">' in english  # the browser's wish does not change the page
    _, hindi = page(client, "/states/9", "hi")
    assert '<html lang="hi">' in hindi and "Skip to main content" not in hindi
    _, home = page(client, "", "hi")  # /hi alone is the Hindi home
    assert '<html lang="hi">' in home and "हथकरघा" in home
    assert client.get("/history").status_code == 404  # only /hi itself is a language


def test_the_language_switch_links_to_this_page_in_each_language(client, places):
    _, english = page(client, "/search?q=silk&sector=handloom")
    assert 'href="/hi/search?q=silk&amp;sector=handloom" hreflang="hi" lang="hi"' in english
    _, hindi = page(client, "/search?q=silk&sector=handloom", "hi")
    assert 'href="/search?q=silk&amp;sector=handloom" hreflang="en" lang="en"' in hindi
    assert '<form class="language-switch"' not in english  # a link, not a form


def test_a_signed_in_persons_language_is_chosen_on_the_account_page(app, client, places):
    from tests.conftest import log_in

    email = make_user(app)
    log_in(client, email)
    response = submit(client, "/account", {"full_name": "Asha Verma", "locale": "hi"})
    assert response.status_code == 302 and response.location == "/hi/account"
    _, html = page(client, "/account", "hi")
    assert '<html lang="hi">' in html
    assert re.search(r'<input checked id="locale-\d" name="locale" type="radio" value="hi">', html)
    fresh = app.test_client()  # logging in at an English address: to their Hindi pages
    assert log_in(fresh, email).location == "/hi/account"
    assert '<html lang="hi">' in fresh.get("/hi/account").get_data(as_text=True)


def test_a_language_the_site_does_not_speak_is_refused(app, client, places):
    from tests.conftest import log_in

    log_in(client, make_user(app))
    response = submit(client, "/account", {"full_name": "Asha Verma", "locale": "xx"})
    assert response.status_code == 422
    assert log_in(app.test_client(), make_user(app)).location == "/account"
