"""A reviewer who has read the whole application ticks the sections and approves in one form
(one page load, also without JavaScript); each section's decision is still its own audit row."""

import re

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Role, Seller
from tests.conftest import log_in, submit
from tests.factories import make_places, make_seller, make_user


def _audit(app, seller_id):
    with app.app_context():
        return [(row.action, row.to_status) for row in db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "seller",
                                     AuditEntry.object_id == seller_id,
                                     AuditEntry.actor_id.is_not(None))
            .order_by(AuditEntry.id))]


def _status(app, seller_id):
    with app.app_context():
        return db.session.get(Seller, seller_id).status


def _pending(client, seller_id) -> list[str]:
    page = client.get(f"/staff/sellers/{seller_id}").get_data(as_text=True)
    return re.findall(r'name="verify_section" value="(\w+)"', page)


def test_ticking_every_section_and_approving_is_one_form(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "submitted")
    log_in(client, make_user(app, Role.STAFF))
    sections = _pending(client, seller_id)
    assert len(sections) >= 7
    before = len(_audit(app, seller_id))

    # One left unticked: those ticked are verified, the approval is refused and says why.
    response = submit(client, f"/staff/sellers/{seller_id}/decision",
                      {"approve": "1", "verify_section": sections[:-1]},
                      token_from=f"/staff/sellers/{seller_id}")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Verify every required section" in page
    assert _status(app, seller_id) != "approved"
    assert _pending(client, seller_id) == sections[-1:]

    response = submit(client, f"/staff/sellers/{seller_id}/decision",
                      {"approve": "1", "verify_section": sections[-1:]},
                      token_from=f"/staff/sellers/{seller_id}")
    assert response.status_code == 302 and response.location.endswith("/staff/sellers")
    assert _status(app, seller_id) == "approved"
    rows = _audit(app, seller_id)[before:]
    assert [row for row in rows if row[0].startswith("section:")] == [
        (f"section:{key}", "verified") for key in sections]  # one row per section decided
    assert rows[0] == ("status", "in_review") and rows[-1] == ("status", "approved")


def test_a_section_that_is_not_one_is_refused(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "submitted")
    log_in(client, make_user(app, Role.STAFF))
    response = submit(client, f"/staff/sellers/{seller_id}/decision",
                      {"approve": "1", "verify_section": ["nonsense"]},
                      token_from=f"/staff/sellers/{seller_id}")
    assert response.status_code == 400
    assert _status(app, seller_id) != "approved"


def test_a_ticked_section_decided_meanwhile_by_someone_else_is_not_overruled(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "submitted")
    log_in(client, make_user(app, Role.STAFF))
    sections = _pending(client, seller_id)  # the first reviewer reads the application
    colleague = app.test_client()
    log_in(colleague, make_user(app, Role.STAFF))
    submit(colleague, f"/staff/sellers/{seller_id}/sections/{sections[0]}",
           {"needs_changes": "1", "note": "The PAN photo is blurred"},
           token_from=f"/staff/sellers/{seller_id}")

    response = submit(client, f"/staff/sellers/{seller_id}/decision",
                      {"approve": "1", "verify_section": sections},
                      token_from=f"/staff/sellers/{seller_id}")
    page = client.get(response.location).get_data(as_text=True)
    assert "decided by someone else meanwhile" in page
    assert _status(app, seller_id) != "approved"
    assert (f"section:{sections[0]}", "needs_changes") == _audit(app, seller_id)[-1]
