"""CSV exports of the staff lists: spreadsheet-safe text, the page's filters, the reviewer's
places, who may download, and the audit row each download leaves."""

import csv
import io
import re

import pytest
from sqlalchemy import select

from odop_bazaar.csv_export import BOM, csv_lines, neutralise
from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Role, Seller, StaffScope, User
from odop_bazaar.services.reporting import staff_reports
from tests.checkout_helpers import add, place
from tests.conftest import check_access, log_in
from tests.factories import listing, make_places, make_seller, make_user

DEVANAGARI = "मीरा हथकरघा"
HOSTILE = ('=HYPERLINK("http://evil")', "+91 cmd", "@SUM(A1)", "-2+3")


# --- The CSV writer --------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["=1+2", "+91 98765", "-2+3", "@SUM(A1)", "\tfoo", "\rbar",
                                   "＝1+2"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Banarasi saree", "मीरा", "a=b", "1234.50", " =not at start",
                                   ""])
def test_other_text_is_written_as_it_is(value):
    assert neutralise(value) == value


def test_numbers_stay_numbers_and_none_is_an_empty_cell():
    from decimal import Decimal

    assert neutralise(-5) == -5 and neutralise(Decimal("1234.50")) == Decimal("1234.50")
    assert neutralise(None) == "" and neutralise(True) == "True"


def test_the_text_starts_with_a_byte_order_mark_and_comes_one_row_at_a_time():
    pieces = list(csv_lines(["Name", "Note"], iter([[DEVANAGARI, "=cmd"], ["b", 'say "hi", ok']])))
    assert pieces[0] == BOM and len(pieces) == 4  # the mark, the header, two rows
    data = "".join(pieces).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["Name", "Note"], [DEVANAGARI, "'=cmd"], ["b", 'say "hi", ok']]


# --- Test data -------------------------------------------------------------------------------

def marketplace(app):
    """Sellers in Varanasi (one approved with a Devanagari name and hostile listing titles, one
    waiting), Moradabad and Goa (approved). Returns their ids."""
    make_places(app)
    _, varanasi = make_seller(app, "approved")
    _, waiting = make_seller(app, "submitted")
    _, moradabad = make_seller(app, "approved", district=171, product_names=("Metal Craft",))
    _, goa = make_seller(app, "approved", district=551, product_names=("Cashew",))
    with app.app_context():
        seller = db.session.get(Seller, varanasi)
        seller.legal_name = DEVANAGARI
        seller.aadhaar_last4 = "7391"
        db.session.commit()
    for title in HOSTILE:
        listing(app, varanasi, title)
    listing(app, moradabad, "Brass lamp")
    listing(app, goa, "Cashew box")
    return {"varanasi": varanasi, "waiting": waiting, "moradabad": moradabad, "goa": goa}


def staff_client(app, email=None):
    client = app.test_client()
    log_in(client, email or make_user(app, Role.STAFF))
    return client


def district_reviewer(app, district: int) -> str:
    """A staff reviewer who works on one district only."""
    email = make_user(app, Role.STAFF)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.all_india = False
        user.scopes.append(StaffScope(district_lgd_code=district))
        db.session.commit()
    return email


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


# --- Sellers ---------------------------------------------------------------------------------

def test_the_seller_export_keeps_devanagari_and_the_page_filters(app):
    ids = marketplace(app)
    client = staff_client(app)
    response = client.get("/staff/sellers/export.csv?state=9&status=approved")
    assert re.fullmatch(r'attachment; filename="odop-sellers-\d{4}-\d{2}-\d{2}\.csv"',
                        response.headers["Content-Disposition"])
    rows = read_csv(response)
    assert {int(row["Seller number"]) for row in rows} == {ids["varanasi"], ids["moradabad"]}
    mira = next(row for row in rows if int(row["Seller number"]) == ids["varanasi"])
    assert mira["Legal name"] == DEVANAGARI
    assert mira["State"] == "Uttar Pradesh" and mira["District"] == "Varanasi"
    assert mira["ODOP products"] == "Banarasi Silk Sarees" and mira["Status"] == "Approved"
    assert mira["Bank account (masked)"] == "XXXXXXXX9012" and mira["PAN (last 4)"] == "XXXXXX234F"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", mira["Approved (IST)"])
    text = response.data.decode("utf-8-sig")
    assert "123456789012" not in text and "ABCPE1234F" not in text  # never whole
    assert "7391" not in text and not any("aadhaar" in name.lower() for name in rows[0])

    # The same parameters as the page: by default the review queue, as the page shows it.
    waiting = read_csv(client.get("/staff/sellers/export.csv"))
    assert [int(row["Seller number"]) for row in waiting] == [ids["waiting"]]
    everyone = read_csv(client.get("/staff/sellers/export.csv?status=all"))
    assert len(everyone) == 4
    page = client.get("/staff/sellers?state=9&status=approved").get_data(as_text=True)
    assert "/staff/sellers/export.csv?" in page and "Export these as CSV" in page
    link = re.search(r'href="(/staff/sellers/export\.csv\?[^"]+)"', page).group(1)
    assert "state=9" in link and "status=approved" in link
    assert f"/staff/sellers/{ids['goa']}\"" not in page


def test_an_export_reads_its_rows_in_batches_and_is_not_cut_at_the_page_size(app, monkeypatch):
    ids = marketplace(app)
    monkeypatch.setattr(staff_reports, "BATCH", 1)
    from odop_bazaar.services import sellers as onboarding

    monkeypatch.setattr(onboarding.review_queue, "__kwdefaults__", {"limit": 1})  # a page of 1
    client = staff_client(app)
    assert "Showing the newest 1" in client.get("/staff/sellers?status=approved").get_data(
        as_text=True)
    rows = read_csv(client.get("/staff/sellers/export.csv?status=approved"))
    assert len(rows) == 3 and all(row["ODOP products"] for row in rows)
    assert {int(row["Seller number"]) for row in rows} == {
        ids["varanasi"], ids["moradabad"], ids["goa"]}


def test_each_export_is_written_to_the_audit_log(app):
    marketplace(app)
    email = make_user(app, Role.STAFF)
    client = staff_client(app, email)
    client.get("/staff/sellers/export.csv?state=9&status=approved").close()
    client.get("/staff/orders/export.csv?status=paid").close()
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "export")
                                     .order_by(AuditEntry.id)).all()
        assert [(e.action, e.actor.email, e.object_id) for e in entries] == [
            ("export:sellers", email, 0), ("export:orders", email, 0)]
        assert entries[0].note == "state=9&status=approved" and entries[1].note == "status=paid"


# --- Listings --------------------------------------------------------------------------------

def test_listing_titles_that_look_like_formulas_come_back_as_text(app):
    ids = marketplace(app)
    client = staff_client(app)
    rows = read_csv(client.get("/staff/listings/export.csv?status=live&district=187"))
    assert sorted(row["Title"] for row in rows) == sorted("'" + title for title in HOSTILE)
    row = rows[0]
    assert row["Seller"] == "Test Looms" and int(row["Seller number"]) == ids["varanasi"]
    assert row["ODOP product"] == "Banarasi Silk Sarees" and row["District"] == "Varanasi"
    assert row["Price (₹)"] == "100.00" and row["MRP (₹)"] == "120.00"
    assert row["Stock"] == "3" and row["Made to order"] == "No" and row["Status"] == "Live"
    # The list page offers the same status filter and the export link with it.
    page = client.get("/staff/listings?status=live&district=187").get_data(as_text=True)
    assert "Brass lamp" not in page and "@SUM(A1)" in page
    assert re.search(r'href="/staff/listings/export\.csv\?[^"]*status=live', page)
    # Nothing is waiting for review: the default export (the queue) is only the header.
    assert read_csv(client.get("/staff/listings/export.csv")) == []


# --- Orders ----------------------------------------------------------------------------------

def place_orders(app, listing_ids):
    buyer = make_user(app, Role.BUYER)
    client = app.test_client()
    log_in(client, buyer)
    for listing_id in listing_ids:
        add(client, listing_id)
    response = place(client)
    assert response.status_code == 303


def listing_ids(app, seller_id):
    from odop_bazaar.models import Listing

    with app.app_context():
        return db.session.scalars(select(Listing.id).where(Listing.seller_id == seller_id)
                                  .order_by(Listing.id)).all()


def test_the_order_export_has_the_money_in_rupees(app):
    ids = marketplace(app)
    place_orders(app, [listing_ids(app, ids["varanasi"])[0], listing_ids(app, ids["goa"])[0]])
    client = staff_client(app)
    rows = read_csv(client.get("/staff/orders/export.csv"))
    assert len(rows) == 2
    assert {row["Seller number"] for row in rows} == {str(ids["varanasi"]), str(ids["goa"])}
    row = rows[0]
    assert re.fullmatch(r"ODB-[A-Z0-9]+-\d", row["Order"])
    assert row["Buyer"] == "Test buyer" and row["Delivery state"] == "Uttar Pradesh"
    assert row["Status"] == "Confirmed (cash on delivery)" and row["Payment"] == "Cash on delivery"
    assert row["Items (₹)"] == "100.00" and row["Delivery (₹)"] == "60.00"
    assert row["Total (₹)"] == "160.00" and re.fullmatch(r"\d+\.\d\d", row["GST (₹)"])
    assert read_csv(client.get("/staff/orders/export.csv?status=delivered")) == []
    page = client.get("/staff/orders?payment=cod").get_data(as_text=True)
    assert re.search(r'href="/staff/orders/export\.csv\?payment=cod"', page)


# --- Places and access -----------------------------------------------------------------------

def test_a_reviewer_of_one_district_exports_only_that_district(app):
    ids = marketplace(app)
    place_orders(app, [listing_ids(app, ids["varanasi"])[0], listing_ids(app, ids["moradabad"])[0]])
    client = staff_client(app, district_reviewer(app, 171))

    sellers = read_csv(client.get("/staff/sellers/export.csv?status=all"))
    assert [int(row["Seller number"]) for row in sellers] == [ids["moradabad"]]
    # Asking for another place by its filter gives nothing, not that place's sellers.
    assert read_csv(client.get("/staff/sellers/export.csv?status=all&district=187")) == []
    titles = [row["Title"] for row in read_csv(client.get("/staff/listings/export.csv?status=all"))]
    assert titles == ["Brass lamp"]
    orders = read_csv(client.get("/staff/orders/export.csv"))
    assert [row["Seller number"] for row in orders] == [str(ids["moradabad"])]
    page = client.get("/staff/sellers?status=all").get_data(as_text=True)
    assert f"/staff/sellers/{ids['moradabad']}\"" in page
    assert f"/staff/sellers/{ids['varanasi']}\"" not in page


EXPORTS = ("/staff/sellers/export.csv?status=all", "/staff/listings/export.csv",
           "/staff/orders/export.csv")


@pytest.mark.parametrize("path", EXPORTS)
@pytest.mark.parametrize("who, want", [("anonymous", "login"), ("buyer", 403), ("seller", 403),
                                       ("staff", 200), ("admin", 200)])
def test_only_staff_may_export(app, path, who, want):
    make_places(app)
    email = {"anonymous": None, "buyer": lambda: make_user(app, Role.BUYER),
             "seller": lambda: make_seller(app, "approved")[0],
             "staff": lambda: make_user(app, Role.STAFF),
             "admin": lambda: make_user(app, Role.ADMIN)}[who]
    check_access(app, email() if email else None, "GET", path, None, want)
    with app.app_context():
        exported = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "export"))
        assert (exported is not None) == (want == 200)
