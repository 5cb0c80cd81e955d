"""A seller's whole onboarding through the web forms: register, fill every section, a request
for changes, a fix, and approval by staff."""

import io
import re

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Role, Seller, SellerSection
from tests.conftest import log_in, submit
from tests.factories import PASSWORD, make_jpeg, make_pdf, make_places, make_user

VALID_PAN = "ABCPE1234F"  # the 4th letter, P, is an individual's
VALID_AADHAAR = "234123412346"


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


def product_ids(page: str) -> list[str]:
    return re.findall(r'name="product_ids" type="checkbox" value="(\d+)"', page)


def seller_row(app, email):
    with app.app_context():
        seller = db.session.scalar(select(Seller).join(Seller.user).where(
            Seller.user.has(email=email)))
        statuses = {s.key: s.status for s in seller.sections}
        return seller.status, statuses


def fill_every_section(client):
    # Seller type, district, products: the district list follows the state without JavaScript.
    page = submit(client, "/seller/onboarding/products",
                  {"state_lgd_code": "9", "refresh": "1"}).get_data(as_text=True)
    assert "Varanasi" in page and "North Goa" not in page
    page = submit(client, "/seller/onboarding/products",
                  {"state_lgd_code": "9", "district_lgd_code": "187", "refresh": "1"}
                  ).get_data(as_text=True)
    assert "Banarasi Silk Sarees" in page and "Metal Craft" not in page
    response = submit(client, "/seller/onboarding/products", {
        "seller_type": "weaver", "state_lgd_code": "9", "district_lgd_code": "187",
        "product_ids": product_ids(page)[:1], "save_continue": "1"})
    assert response.status_code == 302 and response.location == "/seller/onboarding/business"

    response = submit(client, "/seller/onboarding/business", {
        "legal_name": "Meera Devi", "display_name": "Meera's Looms", "year_started": "1998",
        "story": "Three generations of weavers in Sarai Mohana.", "languages": "Hindi, Bhojpuri",
        "grievance_name": "Meera Devi", "grievance_phone": "98765 43210",
        "grievance_email": "meera@example.com", "save_continue": "1"})
    assert response.status_code == 302

    response = submit(client, "/seller/onboarding/pan", {
        "pan": VALID_PAN.lower(), "pan_name": "MEERA DEVI",
        "pan_card": upload(make_jpeg(gps=True), "pan.jpg"), "save_continue": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)

    response = submit(client, "/seller/onboarding/aadhaar", {"aadhaar": VALID_AADHAAR,
                                                              "save": "1"})
    assert response.status_code == 302

    response = submit(client, "/seller/onboarding/gst", {
        "gst_mode": "exempt", "gst_exemption": "handmade", "save_continue": "1"})
    assert response.status_code == 302

    response = submit(client, "/seller/onboarding/bank", {
        "bank_holder_name": "Meera Devi", "bank_account_number": "123456789012",
        "bank_account_confirm": "123456789012", "bank_ifsc": "sbin0001234",
        "bank_proof": upload(make_pdf("cheque"), "cheque.pdf"), "save_continue": "1"})
    assert response.status_code == 302

    response = submit(client, "/seller/onboarding/address", {
        "address_line1": "House 12, Weavers Lane", "address_city": "Varanasi",
        "address_pin": "221001", "save_continue": "1"})
    assert response.status_code == 302

    response = submit(client, "/seller/onboarding/declarations", {
        "accept_terms": "y", "save_later": "1"})
    assert response.status_code == 302 and response.location == "/seller/onboarding"


def test_register_fill_in_get_changes_requested_fix_and_get_approved(app, outbox):
    make_places(app)
    staff_email = make_user(app, role=Role.STAFF)
    seller = app.test_client()

    page = seller.get("/sell").get_data(as_text=True)
    assert "What you will need" in page
    response = submit(seller, "/sell", {"full_name": "Meera Devi", "email": "meera@example.com",
                                        "mobile": "", "password": PASSWORD,
                                        "confirm": PASSWORD})
    assert response.status_code == 302 and response.location == "/seller/onboarding"
    page = seller.get("/seller/onboarding").get_data(as_text=True)
    assert "Still to do" in page and "0 of 7 required sections done" in page

    fill_every_section(seller)
    # Not before the email address is confirmed: staff must not approve an address that may
    # not be the seller's.
    page = seller.get("/seller/onboarding").get_data(as_text=True)
    assert "Confirm your email address" in page and "Ready to submit" not in page
    refused = submit(seller, "/seller/onboarding/submit", {}, token_from="/seller/onboarding",
                     follow_redirects=True)
    assert "Confirm your email address first" in refused.get_data(as_text=True)
    assert seller_row(app, "meera@example.com")[0] == "draft"
    link = next(re.search(r"http://localhost(/verify-email/\S+)", mail.get_content()).group(1)
                for mail in outbox if "/verify-email/" in mail.get_content())
    seller.get(link)
    page = seller.get("/seller/onboarding").get_data(as_text=True)
    assert "Ready to submit" in page and "7 of 7 required sections done" in page
    assert "Confirm your email address" not in page
    assert "123456789012" not in seller.get("/seller/onboarding/bank").get_data(as_text=True)
    assert submit(seller, "/seller/onboarding/submit", {}).status_code == 302
    assert seller_row(app, "meera@example.com")[0] == "submitted"
    assert "is submitted" in outbox[-1]["Subject"]

    # Staff: the queue, then a decision per section; the bank proof needs redoing.
    reviewer = app.test_client()
    log_in(reviewer, staff_email)
    queue = reviewer.get("/staff/sellers?state=9").get_data(as_text=True)
    seller_id = re.search(r'href="/staff/sellers/(\d+)"', queue).group(1)
    review = reviewer.get(f"/staff/sellers/{seller_id}").get_data(as_text=True)
    assert "XXXXXXXX9012" in review and "123456789012" not in review
    assert "ending 2346" in review and VALID_AADHAAR not in review
    for key in ("products", "business", "pan", "aadhaar", "gst", "address", "declarations"):
        response = submit(reviewer, f"/staff/sellers/{seller_id}/sections/{key}",
                          {"verify": "1", "note": ""}, token_from=f"/staff/sellers/{seller_id}")
        assert response.status_code == 302
    no_reason = submit(reviewer, f"/staff/sellers/{seller_id}/sections/bank",
                       {"needs_changes": "1", "note": ""},
                       token_from=f"/staff/sellers/{seller_id}", follow_redirects=True)
    assert "Say what the seller needs to change" in no_reason.get_data(as_text=True)
    submit(reviewer, f"/staff/sellers/{seller_id}/sections/bank",
           {"needs_changes": "1", "note": "The cheque photo is blurred; upload a sharper one."},
           token_from=f"/staff/sellers/{seller_id}")
    too_early = submit(reviewer, f"/staff/sellers/{seller_id}/decision", {"approve": "1"},
                       token_from=f"/staff/sellers/{seller_id}", follow_redirects=True)
    assert "Verify every required section" in too_early.get_data(as_text=True)
    response = submit(reviewer, f"/staff/sellers/{seller_id}/decision",
                      {"request_changes": "1", "note": ""},
                      token_from=f"/staff/sellers/{seller_id}")
    assert response.status_code == 302
    assert seller_row(app, "meera@example.com")[0] == "changes_requested"
    mail = outbox[-1]
    assert mail["To"] == "meera@example.com" and "blurred" in mail.get_content()

    # The seller sees the reason, fixes the one section and resubmits.
    page = seller.get("/seller/onboarding").get_data(as_text=True)
    assert "The cheque photo is blurred" in page
    response = submit(seller, "/seller/onboarding/bank", {
        "bank_holder_name": "Meera Devi", "bank_account_number": "", "bank_account_confirm": "",
        "bank_ifsc": "SBIN0001234", "bank_proof": upload(make_jpeg(), "cheque.jpg"),
        "save_later": "1"})
    assert response.status_code == 302
    assert submit(seller, "/seller/onboarding/submit", {},
                  token_from="/seller/onboarding").status_code == 302
    status, sections = seller_row(app, "meera@example.com")
    assert status == "submitted"
    assert sections["bank"] == "submitted"
    assert {k for k, v in sections.items() if v == "verified"} == {
        "products", "business", "pan", "aadhaar", "gst", "address", "declarations"}

    submit(reviewer, f"/staff/sellers/{seller_id}/sections/bank", {"verify": "1", "note": ""},
           token_from=f"/staff/sellers/{seller_id}")
    response = submit(reviewer, f"/staff/sellers/{seller_id}/decision",
                      {"approve": "1", "note": "Welcome!"},
                      token_from=f"/staff/sellers/{seller_id}")
    assert response.status_code == 302
    assert seller_row(app, "meera@example.com")[0] == "approved"
    assert "approved" in outbox[-1]["Subject"] and "Welcome!" in outbox[-1].get_content()
    assert "You are approved as a seller" in seller.get("/seller/onboarding").get_data(as_text=True)

    with app.app_context():
        transitions = db.session.execute(
            select(AuditEntry.from_status, AuditEntry.to_status)
            .where(AuditEntry.object_type == "seller", AuditEntry.action == "status")
            .order_by(AuditEntry.id)).all()
        assert [tuple(t) for t in transitions] == [
            ("draft", "submitted"), ("submitted", "in_review"),
            ("in_review", "changes_requested"), ("changes_requested", "submitted"),
            ("submitted", "in_review"), ("in_review", "approved")]
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "section:bank",
                                                          AuditEntry.to_status == "needs_changes")
                                 ).note.startswith("The cheque photo")
        keys = set(db.session.scalars(select(SellerSection.key)))
        assert "udyam" not in keys and "certificates" not in keys and len(keys) == 8
