"""Hindi names beyond the shop's browse pages: search filters, staff pages (with the official
English beside them), seller onboarding's choices and the catalogue API."""

import pytest

from odop_bazaar.models import Role
from odop_bazaar.services.reference import hindi_names
from tests.conftest import log_in, submit
from tests.factories import listing, make_places, make_seller, make_user
from tests.hindi_helpers import write_hindi_names


@pytest.fixture
def named_shop(app, tmp_path):
    """The factories' places with their Hindi names, and one listing on the shop."""
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing_id = listing(app, seller_id, "Red Banarasi saree")
    with app.app_context():
        hindi_names.apply_names(write_hindi_names(tmp_path))
    return listing_id


def test_search_filters_name_states_and_districts_in_hindi(client, named_shop):
    page = client.get("/hi/search?state=9").get_data(as_text=True)
    assert '<option selected value="9">उत्तर प्रदेश</option>' in page
    assert ">वाराणसी</a> (1)" in page  # the district facet
    assert "बनारसी रेशमी साड़ी · वाराणसी" in page  # the card
    english = client.get("/search?state=9").get_data(as_text=True)
    assert '<option selected value="9">Uttar Pradesh</option>' in english
    assert ">Varanasi</a> (1)" in english and "वाराणसी" not in english


def test_staff_see_the_hindi_name_with_the_official_english_beside_it(app, named_shop):
    staff = app.test_client()
    log_in(staff, make_user(app, role=Role.STAFF))
    page = staff.get(f"/hi/staff/listings/{named_shop}").get_data(as_text=True)
    assert "बनारसी रेशमी साड़ी (Banarasi Silk Sarees) (वाराणसी (Varanasi);" in page
    assert "वाराणसी (Varanasi), उत्तर प्रदेश (Uttar Pradesh)" in page  # the seller's place
    english = staff.get(f"/staff/listings/{named_shop}").get_data(as_text=True)
    assert "Banarasi Silk Sarees (Varanasi;" in english and "वाराणसी" not in english
    # The dashboard's list of districts still without a seller, and its states.
    dashboard = staff.get("/hi/staff").get_data(as_text=True)
    assert ">मुरादाबाद (Moradabad)</a>" in dashboard and "धातु शिल्प (Metal Craft)" in dashboard
    assert ">उत्तर प्रदेश (Uttar Pradesh)</option>" in dashboard


def test_onboarding_offers_districts_and_products_by_their_hindi_names(app, tmp_path):
    make_places(app)
    with app.app_context():
        hindi_names.apply_names(write_hindi_names(tmp_path))
    email, _ = make_seller(app, "new")
    client = app.test_client()
    log_in(client, email)
    page = submit(client, "/hi/seller/onboarding/products",
                  {"state_lgd_code": "9", "district_lgd_code": "187", "refresh": "1"},
                  token_from="/hi/seller/onboarding/products").get_data(as_text=True)
    assert ">उत्तर प्रदेश</option>" in page and ">वाराणसी</option>" in page
    assert "बनारसी रेशमी साड़ी" in page and "Banarasi Silk Sarees" not in page


def test_the_api_gives_the_hindi_names_beside_the_official_ones(client, named_shop):
    district = client.get("/api/v1/districts/187").get_json()
    assert (district["name"], district["name_hi"]) == ("Varanasi", "वाराणसी")
    assert district["state"]["name_hi"] == "उत्तर प्रदेश"
    assert district["products"][0]["name_hi"] == "बनारसी रेशमी साड़ी"
    found = client.get("/api/v1/listings?state=9", headers={"Accept-Language": "hi"}).get_json()
    card = found["items"][0]
    assert card["district"] == {"lgd_code": 187, "name": "Varanasi", "name_hi": "वाराणसी"}
    assert card["odop_product"]["name_hi"] == "बनारसी रेशमी साड़ी" and card["title_hi"] is None
    assert found["facets"]["districts"][0]["label"] == "वाराणसी"
    detail = client.get(f"/api/v1/listings/{named_shop}").get_json()
    assert detail["state"]["name_hi"] == "उत्तर प्रदेश" and detail["description_hi"] is None
