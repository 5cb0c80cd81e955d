"""The audit log page: what real actions wrote, each filter, days in IST, paging, and who may
read it."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Role, User
from odop_bazaar.services.workflow import record
from tests.checkout_helpers import add, place
from tests.conftest import check_access, log_in
from tests.factories import make_places, make_seller, make_user, shop


def admin_client(app):
    client = app.test_client()
    log_in(client, make_user(app, Role.ADMIN))
    return client


def rows(page: str) -> list[str]:
    """The table rows of the page, as HTML."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def add_entries(app, *entries: dict) -> None:
    with app.app_context():
        for entry in entries:
            created_at = entry.pop("created_at", None)
            row = record(**{"actor_id": None, "object_type": "setting", "object_id": 0,
                            "action": "test", **entry})
            if created_at:
                row.created_at = created_at
        db.session.commit()


def approved_seller(app):
    """A seller approved through the onboarding services; returns (seller email, seller id,
    the reviewer's email)."""
    make_places(app)
    reviewer = make_user(app, Role.STAFF)
    email, seller_id = make_seller(app, "approved")
    return email, seller_id, reviewer


def test_a_real_approval_appears_with_who_did_it_and_a_link_to_the_seller(app):
    seller_email, seller_id, reviewer = approved_seller(app)
    page = admin_client(app).get("/staff/audit").get_data(as_text=True)
    found = rows(page)
    approval = next(row for row in found if "In review → Approved" in row)
    assert reviewer in approval and "Test staff" in approval
    assert f'href="/staff/sellers/{seller_id}"' in approval and "Status changed" in approval
    submitted = next(row for row in found if "Not yet submitted → Submitted" in row)
    assert seller_email in submitted
    assert any("Section decided: PAN" in row and "Verified" in row for row in found)
    # Newest first: the approval came last, so it is the first row.
    assert "In review → Approved" in found[0]


def test_the_who_filter_takes_an_email_as_typed_or_system(app):
    seller_email, _, reviewer = approved_seller(app)
    add_entries(app, {"object_type": "checkout", "object_id": 5, "action": "state",
                      "from_status": "awaiting_payment", "to_status": "expired",
                      "note": "nobody paid"})
    client = admin_client(app)

    by_reviewer = rows(client.get("/staff/audit", query_string={
        "actor": "  " + reviewer.upper() + " "}).get_data(as_text=True))
    assert by_reviewer and all(reviewer in row for row in by_reviewer)
    assert not any(seller_email in row for row in by_reviewer)

    system = rows(client.get("/staff/audit?actor=System").get_data(as_text=True))
    assert len(system) == 1 and "nobody paid" in system[0] and "System" in system[0]
    assert "Waiting for payment → Expired" in system[0]

    unknown = client.get("/staff/audit?actor=nobody@example.com")
    assert unknown.status_code == 422
    assert "No account has the email address nobody@example.com" in unknown.get_data(
        as_text=True)


def test_object_and_action_filters_narrow_the_list(app):
    _, seller_id, _ = approved_seller(app)
    _, other_id = make_seller(app, "submitted")
    add_entries(app, {"object_type": "listing", "object_id": seller_id, "action": "created",
                      "note": "a listing with the seller's number"})
    client = admin_client(app)

    sellers = rows(client.get("/staff/audit?object_type=seller").get_data(as_text=True))
    assert sellers and not any("a listing with the seller" in row for row in sellers)

    one = rows(client.get(f"/staff/audit?object_type=seller&object_id={other_id}").get_data(
        as_text=True))
    assert one and all(f"/staff/sellers/{other_id}\"" in row for row in one)
    assert not any("Approved" in row for row in one)  # only the first seller was approved

    approvals = rows(client.get("/staff/audit?object_type=seller&action=status").get_data(
        as_text=True))
    assert approvals and all("Status changed" in row for row in approvals)
    assert not any("Section decided" in row for row in approvals)

    bad = client.get("/staff/audit?object_id=forty-two")
    assert bad.status_code == 422 and "Enter the object&#39;s number" in bad.get_data(as_text=True)


def test_a_day_is_a_day_in_india(app):
    make_places(app)
    add_entries(
        app,
        # 22 November, 23:59 IST is 18:29 UTC on the 22nd: the day before.
        {"note": "late on the 22nd", "created_at": datetime(2026, 11, 22, 18, 29, tzinfo=UTC)},
        # 23 November, 00:10 IST is 18:40 UTC on the 22nd.
        {"note": "just after midnight", "created_at": datetime(2026, 11, 22, 18, 40, tzinfo=UTC)},
        # 23 November, 23:30 IST is 18:00 UTC on the 23rd: still the 23rd in India.
        {"note": "half past eleven", "created_at": datetime(2026, 11, 23, 18, 0, tzinfo=UTC)},
        # 24 November, 00:00 IST is 18:30 UTC on the 23rd: the next day.
        {"note": "midnight of the 24th", "created_at": datetime(2026, 11, 23, 18, 30, tzinfo=UTC)},
    )
    client = admin_client(app)

    def notes(query):
        response = client.get("/staff/audit", query_string=query)
        assert response.status_code == 200
        return {n for n in ("late on the 22nd", "just after midnight", "half past eleven",
                            "midnight of the 24th") if n in response.get_data(as_text=True)}

    assert notes({"date_from": "2026-11-23", "date_to": "2026-11-23"}) == {
        "just after midnight", "half past eleven"}
    assert notes({"date_from": "23/11/2026"}) == {"just after midnight", "half past eleven",
                                                  "midnight of the 24th"}
    assert notes({"date_to": "2026-11-22"}) == {"late on the 22nd"}
    page = client.get("/staff/audit?date_to=2026-11-22").get_data(as_text=True)
    assert re.search(r"22 Nov 2026, 11:59\sPM", page)  # in IST (it is 6:29 PM in UTC)


@pytest.mark.parametrize("query, field, message", [
    ({"date_from": "2026-02-30"}, "date_from", "Enter a real date, like 2026-11-23."),
    ({"date_to": "yesterday"}, "date_to", "Enter a real date, like 2026-11-23."),
    ({"date_from": "0001-01-01"}, "date_from", "Enter a real date, like 2026-11-23."),
    ({"date_from": "2026-11-24", "date_to": "2026-11-23"}, "date_to",
     "The end date must be the same as or later than the start date."),
])
def test_a_bad_date_is_explained_beside_its_field(app, query, field, message):
    make_places(app)
    add_entries(app, {"note": "an entry"})
    response = admin_client(app).get("/staff/audit", query_string=query)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error">\s*<span class="visually-hidden">Error:</span> '
                     rf'{re.escape(message)}', page)
    assert f'href="#{field}"' in page  # the summary at the top links to it
    for name, value in query.items():  # what was typed comes back
        assert f'id="{name}" name="{name}" type="text" value="{value}"' in page
    assert "an entry" not in page and "<h1>Audit log</h1>" in page


def test_pages_of_fifty_go_back_and_forth_keeping_the_filters(app):
    make_places(app)
    add_entries(app, *({"action": "paged", "note": f"entry {n:03d}."} for n in range(120)),
                {"action": "other", "note": "not paged"})
    client = admin_client(app)

    first = client.get("/staff/audit?action=paged").get_data(as_text=True)
    assert len(rows(first)) == 50 and "entry 119." in rows(first)[0]
    assert "Newer entries" not in first and "not paged" not in first
    older = re.search(r'href="([^"]+)">Older entries', first).group(1).replace("&amp;", "&")
    assert "action=paged" in older

    second = client.get(older).get_data(as_text=True)
    assert "entry 069." in rows(second)[0] and "entry 020." in rows(second)[-1]
    third = client.get(re.search(r'href="([^"]+)">Older entries', second).group(1)
                       .replace("&amp;", "&")).get_data(as_text=True)
    assert len(rows(third)) == 20 and "entry 000." in rows(third)[-1]
    assert "Older entries" not in third

    newer = re.search(r'href="([^"]+)">Newer entries', third).group(1).replace("&amp;", "&")
    assert "action=paged" in newer
    back = client.get(newer).get_data(as_text=True)
    assert rows(back) == rows(second)


@pytest.mark.parametrize("who, want", [("anonymous", "login"), ("buyer", 403), ("seller", 403),
                                       ("staff", 403), ("admin", 200)])
def test_only_administrators_read_the_audit_log(app, who, want):
    make_places(app)
    email = {"anonymous": lambda: None, "buyer": lambda: make_user(app, Role.BUYER),
             "seller": lambda: make_seller(app, "new")[0],
             "staff": lambda: make_user(app, Role.STAFF),
             "admin": lambda: make_user(app, Role.ADMIN)}[who]()
    check_access(app, email, "GET", "/staff/audit", None, want)


def test_staff_pages_link_administrators_to_the_log(app):
    make_places(app)
    admin = admin_client(app)
    assert 'href="/staff/audit?object_type=seller"' in admin.get("/staff/sellers").get_data(
        as_text=True)
    staff = app.test_client()
    log_in(staff, make_user(app, Role.STAFF))
    assert "/staff/audit" not in staff.get("/staff/sellers").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.role == "admin")) is not None
        assert db.session.scalar(select(AuditEntry)) is None  # reading the log writes nothing


def test_an_order_row_links_to_its_invoice(app):
    saree, _stole, buyer = shop(app)
    client = app.test_client()
    log_in(client, buyer)
    add(client, saree)
    assert place(client).status_code == 303
    found = rows(admin_client(app).get("/staff/audit?object_type=order").get_data(as_text=True))
    assert len(found) == 1 and "Order placed" in found[0] and buyer in found[0]
    invoice = re.search(r'href="(/orders/ODB-[A-Z0-9]+/\d+/invoice)"', found[0]).group(1)
    admin = admin_client(app)
    assert admin.get(invoice).status_code == 200
