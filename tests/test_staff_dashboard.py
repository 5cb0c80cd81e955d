"""The staff dashboard: coverage, queues, decisions and sales, checked against data built here."""

import re

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Role, StaffScope, User
from tests.checkout_helpers import add, place
from tests.conftest import log_in
from tests.factories import listing, make_places, make_seller, make_user


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def table_row(page: str, heading: str) -> str:
    """The text of the first table row whose header cell is `heading`."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        if re.search(rf'<th scope="row">(<a [^>]*>)?{re.escape(heading)}(</a>)?</th>', row):
            return text_of(row).strip()
    raise AssertionError(f"no row for {heading}")


def build(app):
    """Varanasi: an approved seller with a live listing and one waiting; Moradabad: an approved
    seller with no listing; North Goa: a seller waiting for review. Returns the listing id."""
    make_places(app)
    _, varanasi = make_seller(app, "approved")
    make_seller(app, "approved", district=171, product_names=("Metal Craft",),
                seller_type="artisan")
    make_seller(app, "submitted", district=551, product_names=("Cashew",), seller_type="farmer")
    live = listing(app, varanasi, "Banarasi saree")
    listing(app, varanasi, "Waiting stole", approve=False)
    return live


def test_coverage_queues_and_decisions_match_the_data(app, client):
    build(app)
    log_in(client, make_user(app, Role.ADMIN))
    response = client.get("/staff")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = text_of(page)
    assert "2 / 3 districts have an approved seller (67 %)" in text
    assert "1 / 3 districts have an approved listing (33 %)" in text
    # By state: Uttar Pradesh has both its districts covered by sellers, one by a listing.
    assert table_row(page, "Uttar Pradesh") == "Uttar Pradesh 2 2 (100 %) 1 (50 %) 2 1"
    assert table_row(page, "Goa") == "Goa 1 0 (0 %) 0 (0 %) 0 0"
    # By sector: handicraft products are identified in two districts, one has a seller.
    assert table_row(page, "Handicraft") == "Handicraft 2 1 0 1 0"
    assert table_row(page, "Handloom") == "Handloom 1 1 1 1 1"
    # The worklist: North Goa has an ODOP product and no approved seller.
    assert table_row(page, "North Goa") == "North Goa Goa Cashew"
    assert "1 district to reach." in text
    # Queues: one seller and one listing wait.
    cards = re.findall(r'<span class="stat">([^<]+)</span>', page)
    assert cards[:2] == ["1", "1"]
    # Decisions: two seller approvals and one listing approval, all this week.
    reviewer = re.search(r"<tr><th scope=\"row\">Test staff</th>(.*?)</tr>", page, re.S)
    counts = re.findall(r'class="num"[^>]*>(\d+)</td>', reviewer.group(1))
    assert counts[-2:] == ["3", "3"]  # this week, and the total
    # Every chart is an SVG with its title, and its numbers are in a table beside it.
    # (the worklist and the reviewer table are lists, not charted)
    charts = page.count('role="img" aria-labelledby=')  # the header's icons are SVGs too
    assert charts == page.count("<table") - 2 == 2
    assert "Share of districts with an approved seller, by state" in page
    assert "No orders yet." in page


def test_the_state_table_sorts_by_any_column(app, client):
    build(app)
    log_in(client, make_user(app, Role.ADMIN))
    by_name = client.get("/staff?sort=name").get_data(as_text=True)
    assert by_name.index(">Goa</th>") < by_name.index(">Uttar Pradesh</th>")
    by_sellers = client.get("/staff?sort=sellers&order=desc").get_data(as_text=True)
    assert by_sellers.index(">Uttar Pradesh</th>") < by_sellers.index(">Goa</th>")
    assert 'aria-sort="descending"' in by_sellers
    assert client.get("/staff?sort=%3Cscript%3E&order=x").status_code == 200


def test_orders_and_sales_per_state_sector_and_week(app, client):
    live = build(app)
    buyer = make_user(app)
    log_in(client, buyer)
    add(client, live, "2")
    assert place(client).status_code == 303
    staff = app.test_client()
    log_in(staff, make_user(app, Role.ADMIN))
    page = staff.get("/staff").get_data(as_text=True)
    # At the top: the order placed today, with its sales.
    today = re.search(r'Orders today</a>\s*<span class="stat">(\d+)</span>\s*([^<]+)<', page)
    assert (today.group(1), today.group(2).strip()) == ("1", "Sales: ₹200.00")
    page = page[page.index('id="orders"'):]
    # Two sarees at ₹100 each: one order, ₹200 of goods (delivery is not a sale).
    assert table_row(page, "Uttar Pradesh") == "Uttar Pradesh 1 ₹200.00"
    assert table_row(page, "Handloom") == "Handloom 1 ₹200.00"
    assert page.count("<svg") == 3
    week_rows = [text_of(r) for r in re.findall(r"<tr><th scope=\"row\">\d{4}-\d\d-\d\d</th>.*?</tr>",
                                                page, re.S)]
    assert len(week_rows) == 8
    assert week_rows[-1].split()[-2:] == ["1", "₹200.00"]
    assert all(row.split()[-2:] == ["0", "₹0.00"] for row in week_rows[:-1])


def test_a_scoped_reviewer_sees_only_their_places(app, client):
    build(app)
    email = make_user(app, Role.STAFF)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.all_india = False
        user.scopes.append(StaffScope(district_lgd_code=551))
        db.session.commit()
    log_in(client, email)
    page = client.get("/staff").get_data(as_text=True)
    text = text_of(page)
    assert "0 / 1 districts have an approved seller" in text
    assert table_row(page, "Goa") == "Goa 1 0 (0 %) 0 (0 %) 0 0"
    assert ">Uttar Pradesh</th>" not in page
    assert re.findall(r'<span class="stat">([^<]+)</span>', page)[:2] == ["1", "0"]
    # Only their own decisions (none), not the other reviewer's.
    assert "No decisions in these weeks." in page


def test_only_staff_open_the_dashboard(app, client):
    make_places(app)
    assert client.get("/staff").status_code == 302
    log_in(client, make_user(app))
    assert client.get("/staff").status_code == 403


def test_a_part_of_the_dashboard_opened_by_its_own_link_or_form_comes_back_open(app, client):
    build(app)
    log_in(client, make_user(app, Role.ADMIN))

    def opened(query: str) -> list[str]:
        page = client.get(f"/staff{query}").get_data(as_text=True)
        return re.findall(r'<details class="dashboard-part" id="(\w+)" open>', page)

    assert opened("") == []  # a phone shows the headline figures first, the rest closed
    assert opened("?sort=listings&order=desc") == ["coverage"]
    assert opened("?gap_state=") == ["gaps"]  # "All states", then Show
    assert opened("?gap_state=30&gap_page=2") == ["gaps"]
