"""After a full onboarding with an Aadhaar number, no table, log line or response holds it."""

import logging

from sqlalchemy import text

from odop_bazaar.extensions import db
from odop_bazaar.models import Role
from tests.conftest import log_in, submit
from tests.factories import make_places, make_seller, make_user

AADHAAR = "234123412346"
MISTYPED = "234123412345"  # fails the Verhoeff check


def test_the_full_aadhaar_number_is_never_kept_logged_or_shown(app, caplog, outbox):
    caplog.set_level(logging.DEBUG)
    make_places(app)
    email, seller_id = make_seller(app, "complete")
    client = app.test_client()
    log_in(client, email)
    pages = []

    mistyped = submit(client, "/seller/onboarding/aadhaar", {"aadhaar": MISTYPED, "save": "1"})
    assert mistyped.status_code == 422
    pages.append(mistyped.get_data(as_text=True))
    assert "not a valid Aadhaar number" in pages[-1]

    spaced = " ".join([AADHAAR[:4], AADHAAR[4:8], AADHAAR[8:]])
    saved = submit(client, "/seller/onboarding/aadhaar", {"aadhaar": spaced, "save": "1"},
                   follow_redirects=True)
    pages.append(saved.get_data(as_text=True))
    pages.append(client.get("/seller/onboarding/aadhaar").get_data(as_text=True))
    assert "ending 2346" in pages[-1]
    pages.append(client.get("/seller/onboarding").get_data(as_text=True))
    assert submit(client, "/seller/onboarding/submit", {},
                  token_from="/seller/onboarding").status_code == 302

    staff = app.test_client()
    log_in(staff, make_user(app, role=Role.STAFF))
    pages.append(staff.get(f"/staff/sellers/{seller_id}").get_data(as_text=True))
    assert "ending 2346" in pages[-1]

    for number in (AADHAAR, MISTYPED):
        for variant in (number, " ".join([number[:4], number[4:8], number[8:]])):
            for page in pages:
                assert variant not in page
            assert variant not in caplog.text  # messages and any tracebacks
            for message in outbox:
                assert variant not in message.as_string()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')):
                flat = " ".join(str(value) for value in row)
                assert AADHAAR not in flat and MISTYPED not in flat, table.name
        assert db.session.execute(text("SELECT aadhaar_last4 FROM seller")).scalar() == "2346"
