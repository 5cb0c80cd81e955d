"""Hindi names: loaded from the reference data's files, and shown on every page in Hindi mode
(with the official English beside them for staff)."""

from sqlalchemy import select, update

from odop_bazaar.extensions import db
from odop_bazaar.models import District, OdopProduct, State
from odop_bazaar.models.catalogue import Listing, ListingContent
from odop_bazaar.models.shop import ShopListing
from odop_bazaar.services.catalogue import shop_listings
from odop_bazaar.services.catalogue.storefront import slugify
from odop_bazaar.services.reference import hindi_names
from tests.factories import listing, make_places, make_seller
from tests.hindi_helpers import write_hindi_names


def _names():
    return (db.session.get(State, 9).name_hi, db.session.get(District, 187).name_hi,
            db.session.scalar(select(OdopProduct.name_hi).where(
                OdopProduct.name == "Banarasi Silk Sarees")))


def test_the_loader_sets_the_names_once_and_reports_what_matched_nothing(app, tmp_path):
    make_places(app)
    folder = write_hindi_names(
        tmp_path, states="state_lgd_code,state_name,name_hi\n9,Uttar Pradesh,उत्तर प्रदेश\n"
                         "99,Atlantis,अटलांटिस\n",
        products="product,name_hi\nBANARASI SILK SAREES,बनारसी रेशमी साड़ी\n"
                 "Moon Rock,चाँद का पत्थर\nBanarasi silk sarees,बनारसी साड़ी\n")
    with app.app_context():
        report = hindi_names.apply_names(folder)
        assert _names() == ("उत्तर प्रदेश", "वाराणसी", "बनारसी रेशमी साड़ी")
        assert report.changed == {"states": 1, "districts": 3, "products": 1}
        text = "\n".join(report.lines())
        assert "states_hi.csv line 3: no state with LGD code '99'" in text
        assert "products_hi.csv line 3: no ODOP product is called 'Moon Rock'" in text
        assert ("products_hi.csv line 4: another Hindi name for the product of line 2; that one "
                "is kept") in text  # two spellings of one product: the first name stands
        assert "Still without a Hindi name: 1 states, 3 products." in text
        again = hindi_names.apply_names(folder)
        assert not again.changes_anything and again.changed["districts"] == 0
        assert _names() == ("उत्तर प्रदेश", "वाराणसी", "बनारसी रेशमी साड़ी")


def test_missing_files_set_no_names_and_keep_those_set(app, tmp_path):
    make_places(app)
    with app.app_context():
        hindi_names.apply_names(write_hindi_names(tmp_path / "all"))
        report = hindi_names.apply_names(tmp_path / "none")
        assert report.missing_files == ["states_hi.csv", "districts_hi.csv", "products_hi.csv"]
        assert not report.changes_anything
        assert _names() == ("उत्तर प्रदेश", "वाराणसी", "बनारसी रेशमी साड़ी")


def test_import_odop_applies_the_names_even_when_the_list_is_already_loaded(app, runner,
                                                                           tmp_path):
    make_places(app)  # an older database: products, but no Hindi names
    folder = write_hindi_names(tmp_path)
    result = runner.invoke(args=["import-odop", "--if-empty", "--hindi-names", str(folder)])
    assert result.exit_code == 0, result.output
    assert "already loaded" in result.output
    assert "Hindi names set or changed: 2 states, 3 districts, 4 ODOP products." in result.output
    with app.app_context():
        assert _names() == ("उत्तर प्रदेश", "वाराणसी", "बनारसी रेशमी साड़ी")


def _shop_with_a_listing(app):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    return listing(app, seller_id, "Red Banarasi saree")


def test_district_page_breadcrumb_cards_and_product_page_in_each_language(app, client,
                                                                          tmp_path):
    listing_id = _shop_with_a_listing(app)
    # Cached in Latin script first: the names arriving must make the cached pages stale.
    assert "Varanasi" in client.get("/hi/districts/187").get_data(as_text=True)
    with app.app_context():
        hindi_names.apply_names(write_hindi_names(tmp_path))
        card = db.session.get(ShopListing, listing_id)
        assert (card.district_name_hi, card.product_name_hi) == ("वाराणसी", "बनारसी रेशमी साड़ी")

    hindi = client.get("/hi/districts/187").get_data(as_text=True)
    assert "<title>वाराणसी, उत्तर प्रदेश" in hindi
    assert '<li aria-current="page">वाराणसी</li>' in hindi
    assert ">उत्तर प्रदेश</a></li>" in hindi  # the breadcrumb's state
    assert "बनारसी रेशमी साड़ी · वाराणसी" in hindi  # the product card
    assert "Varanasi" not in hindi and "Banarasi Silk Sarees" not in hindi

    english = client.get("/districts/187").get_data(as_text=True)
    assert '<li aria-current="page">Varanasi</li>' in english
    assert "Banarasi Silk Sarees · Varanasi" in english
    assert "वाराणसी" not in english

    page = client.get(f"/hi/products/{listing_id}", follow_redirects=True).get_data(as_text=True)
    assert "बनारसी रेशमी साड़ी, वाराणसी</a>" in page
    assert ">उत्तर प्रदेश</a></li>" in page and ">वाराणसी</a></li>" in page
    # The seller's address is written as on a parcel and the invoice: official English.
    assert "Varanasi" in page.split('id="disclosures-title"')[1]
    page = client.get(f"/products/{listing_id}", follow_redirects=True).get_data(as_text=True)
    assert "Banarasi Silk Sarees, Varanasi</a>" in page


def _set_content(app, listing_id, **values):
    """Write the live content's title/description in each language (the seller's editor's
    fields, as moderation approves them) and bring the shop row up to date."""
    with app.app_context():
        content_id = db.session.scalar(
            select(Listing.live_content_id).where(Listing.id == listing_id))
        db.session.execute(update(ListingContent).where(ListingContent.id == content_id)
                           .values(**values))
        shop_listings.refresh(listing_ids=[listing_id])
        db.session.commit()


def test_each_language_shows_its_own_title_and_falls_back_to_the_other(app, client):
    listing_id = _shop_with_a_listing(app)
    # Only English: shown in Hindi too.
    assert "Red Banarasi saree" in client.get("/hi/districts/187").get_data(as_text=True)
    _set_content(app, listing_id, title_hi="लाल बनारसी साड़ी", description_hi="शुद्ध कतान रेशम।")
    hindi = client.get(f"/hi/products/{listing_id}", follow_redirects=True).get_data(as_text=True)
    assert "<h1>लाल बनारसी साड़ी</h1>" in hindi and "शुद्ध कतान रेशम।" in hindi
    assert '<meta property="og:title" content="लाल बनारसी साड़ी">' in hindi
    assert "लाल बनारसी साड़ी</h3>" in client.get("/hi/districts/187").get_data(as_text=True)
    english = client.get(f"/products/{listing_id}", follow_redirects=True).get_data(as_text=True)
    assert "<h1>Red Banarasi saree</h1>" in english and "लाल" not in english
    # Only Hindi: shown in English too.
    _set_content(app, listing_id, title="", description="")
    english = client.get("/districts/187").get_data(as_text=True)
    assert "लाल बनारसी साड़ी</h3>" in english
    # Its address reads as its Hindi title does, on the card and the page alike.
    address = f"/products/{listing_id}-{slugify('लाल बनारसी साड़ी')}"
    assert f'href="{address}"' in english
    page = client.get(address)
    assert page.status_code == 200 and "<h1>लाल बनारसी साड़ी</h1>" in page.get_data(as_text=True)


def test_a_newer_list_keeps_the_names_and_names_its_new_products(app, tmp_path, monkeypatch):
    from odop_bazaar import paths
    from odop_bazaar.services.reference.odop_list import import_odop_list
    from tests.reference_files import official_csv, product

    monkeypatch.setattr(paths, "HINDI_NAMES", write_hindi_names(
        tmp_path, products="product,name_hi\nMetal Craft,धातु शिल्प\nBrass Ware,पीतल के बर्तन\n"))
    base = [["Uttar Pradesh", "Metal Craft", "Moradabad", "171", "Primary", "Handicraft", "",
             "Yes", "", ""]]
    newer = [["Uttar Pradesh", "METAL CRAFT", "Moradabad", "171", "Primary", "Manufacturing", "",
              "Yes", "", ""],
             ["Uttar Pradesh", "Brass Ware", "Moradabad", "171", "Secondary", "Handicraft", "",
              "No", "", ""]]
    with app.app_context():
        import_odop_list(official_csv(base), "v1.csv")
        assert product(171, "Metal Craft").name_hi == "धातु शिल्प"
        assert db.session.get(District, 171).name_hi == "मुरादाबाद"
        import_odop_list(official_csv(newer), "v2.csv")
        assert product(171, "Metal Craft").sector == "Manufacturing"
        assert product(171, "Metal Craft").name_hi == "धातु शिल्प"  # kept through the change
        assert product(171, "Brass Ware").name_hi == "पीतल के बर्तन"  # new, and named


def test_hindi_pages_list_places_in_hindi_order_with_hindi_sector_names(app, client, tmp_path):
    make_places(app)
    with app.app_context():
        hindi_names.apply_names(write_hindi_names(tmp_path))
    hindi = client.get("/hi/").get_data(as_text=True)
    assert hindi.index(">उत्तर प्रदेश</a>") < hindi.index(">गोवा</a>")
    assert ">हथकरघा</a>" in hindi  # the sectors, translated
    english = client.get("/").get_data(as_text=True)
    assert english.index(">Goa</a>") < english.index(">Uttar Pradesh</a>")
    sector = client.get("/hi/sectors/handloom").get_data(as_text=True)
    assert "<h1>हथकरघा</h1>" in sector and ">वाराणसी</a>:" in sector
    assert "बनारसी रेशमी साड़ी" in sector


def test_a_seller_reading_hindi_gets_their_listing_s_hindi_title_by_email(app, outbox):
    from odop_bazaar.models import User
    from odop_bazaar.services import catalogue as listings

    make_places(app)
    email, seller_id = make_seller(app, "approved")
    listing_id = listing(app, seller_id, "Red Banarasi saree", approve=False)
    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        item.draft_content.title_hi = "लाल बनारसी साड़ी"
        db.session.scalar(select(User).where(User.email == email)).locale = "hi"
        db.session.commit()
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        listings.approve_listing(item, staff)
    mail = outbox[-1]
    assert mail["To"] == email and "“लाल बनारसी साड़ी”" in mail.get_content()
