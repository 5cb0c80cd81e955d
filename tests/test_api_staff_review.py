"""Staff review through the API: the queues in the reviewer's places a page at a time, an
application by section with its documents, a listing's working and live versions, and the
decisions, through the same services and rules as the staff pages."""

import base64

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Listing, Role, Seller
from tests.api_review_helpers import token_for
from tests.checkout_helpers import client_of
from tests.factories import listing, make_places, make_reviewer, make_seller, make_user
from tests.live import at_once, serve

API = "/api/v1/staff"


def _audit_rows(app, object_type: str, object_id: int, **match) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == object_type, AuditEntry.object_id == object_id,
            *(getattr(AuditEntry, name) == value for name, value in match.items())))


def _status(app, model, object_id: int) -> str:
    with app.app_context():
        return db.session.get(model, object_id).status


def _pending_listing(app, title: str = "Zari border saree", title_hi: str = "") -> int:
    """A listing of an approved Varanasi seller, waiting for review."""
    _, seller_id = make_seller(app, "approved")
    return listing(app, seller_id, title, approve=False, title_hi=title_hi)


def test_the_seller_queue_holds_only_the_reviewers_places_a_page_at_a_time(app, client):
    make_places(app)
    waiting = [make_seller(app, "submitted")[1] for _ in range(3)]
    in_goa = make_seller(app, "submitted", district=551, seller_type="farmer",
                         product_names=("Cashew",))[1]
    headers = token_for(app, make_reviewer(app, districts=(187,)))

    first = client.get(f"{API}/sellers?limit=2", headers=headers)
    assert first.status_code == 200, first.json
    second = client.get(f"{API}/sellers?limit=2&after={first.json['next']}", headers=headers)
    # Who waited longest comes first, as on the staff page; Goa is not this reviewer's.
    assert [s["id"] for s in first.json["items"] + second.json["items"]] == waiting
    assert second.json["next"] is None
    assert first.json["items"][0]["status"] == "submitted"
    assert first.json["items"][0]["district_name"] == "Varanasi"
    assert client.get(f"{API}/sellers?status=approved", headers=headers).json["items"] == []
    everyone = client.get(f"{API}/sellers?limit=100", headers=token_for(app, make_user(
        app, Role.ADMIN))).json["items"]
    assert in_goa in [s["id"] for s in everyone]
    refused = client.get(f"{API}/sellers?status=nonsense&state=x", headers=headers)
    assert refused.status_code == 422 and set(refused.json["errors"]) == {"status", "state"}
    for forged in ('["2026-01-01", 1]', '["9999-12-31T23:59:59-14:00", 1]', '["", 1.5]'):
        cursor = base64.urlsafe_b64encode(forged.encode()).decode()
        answer = client.get(f"{API}/sellers?after={cursor}", headers=headers)
        assert answer.status_code == 422, forged


def test_an_application_shows_each_section_with_its_status_and_links_to_its_documents(app,
                                                                                   client):
    make_places(app)
    _, seller_id = make_seller(app, "submitted")
    staff_email = make_reviewer(app, states=(9,))

    answer = client.get(f"{API}/sellers/{seller_id}", headers=token_for(app, staff_email))

    assert answer.status_code == 200
    sections = {s["key"]: s for s in answer.json["sections"]}
    assert sections["pan"]["status"] == "submitted" and sections["pan"]["decidable"]
    assert sections["aadhaar"]["required"] is False
    document = sections["pan"]["documents"][0]
    assert document["content_type"] == "application/pdf"
    assert answer.json["can_approve"] is False  # nothing verified yet
    # The link is the staff page's own, access-checked: a signed-in reviewer opens the file.
    opened = client_of(app, staff_email).get(document["url"])
    assert opened.status_code == 200 and opened.data.startswith(b"%PDF")


def test_returning_a_section_needs_a_reason_and_then_tells_the_seller_why(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "submitted")
    headers = token_for(app, make_reviewer(app, states=(9,)))
    path = f"{API}/sellers/{seller_id}/sections/pan/decision"

    refused = client.post(path, json={"decision": "return", "reason": "  "}, headers=headers)
    assert refused.status_code == 422
    assert refused.json["errors"] == {"reason": ["Say what the seller needs to change."]}
    assert _audit_rows(app, "seller", seller_id, action="section:pan") == 0

    answer = client.post(path, json={"decision": "return", "reason": "The PAN card is blurred."},
                         headers=headers)
    assert answer.status_code == 200
    pan = next(s for s in answer.json["sections"] if s["key"] == "pan")
    assert pan["status"] == "needs_changes" and pan["reviewer_note"] == "The PAN card is blurred."
    assert _audit_rows(app, "seller", seller_id, action="section:pan") == 1
    assert client.post(f"{API}/sellers/{seller_id}/sections/shoes/decision",
                       json={"decision": "verify"}, headers=headers).status_code == 404


def test_a_seller_is_approved_once_every_section_is_verified_and_only_once(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "submitted")
    headers = token_for(app, make_reviewer(app, districts=(187,)))
    approve = {"decision": "approve", "reason": ""}

    early = client.post(f"{API}/sellers/{seller_id}/decision", json=approve, headers=headers)
    assert early.status_code == 422 and "Verify every required section" in early.json["detail"]
    detail = client.get(f"{API}/sellers/{seller_id}", headers=headers).json
    for section in (s["key"] for s in detail["sections"] if s["decidable"]):
        verified = client.post(f"{API}/sellers/{seller_id}/sections/{section}/decision",
                               json={"decision": "verify"}, headers=headers)
        assert verified.status_code == 200
    assert verified.json["can_approve"] is True

    answer = client.post(f"{API}/sellers/{seller_id}/decision", json=approve, headers=headers)
    assert answer.status_code == 200 and answer.json["status"] == "approved"
    again = client.post(f"{API}/sellers/{seller_id}/decision", json=approve, headers=headers)
    assert again.status_code == 409 and "not waiting for review" in again.json["detail"]
    assert _audit_rows(app, "seller", seller_id, to_status="approved") == 1


def test_a_listing_approved_through_the_api_is_live_on_its_page_and_in_search(app, client):
    make_places(app)
    listing_id = _pending_listing(app, "Zari border saree", title_hi="ज़री बॉर्डर साड़ी")
    headers = token_for(app, make_reviewer(app, states=(9,)))
    assert client.get(f"/products/{listing_id}").status_code == 404

    queue = client.get(f"{API}/listings", headers=headers).json["items"]
    assert [row["id"] for row in queue] == [listing_id]
    seen = client.get(f"{API}/listings/{listing_id}", headers=headers).json
    assert seen["working"]["title"] == "Zari border saree" and seen["live"] is None
    # Staff approve the seller's Hindi with the rest, so they see it.
    assert seen["working"]["title_hi"] == "ज़री बॉर्डर साड़ी"
    assert seen["working"]["description_hi"] is None
    assert seen["working"]["photos"][0]["urls"]["320"]["webp"].endswith("-320.webp")
    answer = client.post(f"{API}/listings/{listing_id}/decision", headers=headers, json={
        "decision": "approve", "seen_submission": seen["submitted_at"]})

    assert answer.status_code == 200 and answer.json["status"] == "approved"
    assert answer.json["live"]["title"] == "Zari border saree"
    page = client.get(f"/products/{listing_id}", follow_redirects=True)
    assert page.status_code == 200 and "Zari border saree" in page.get_data(as_text=True)
    assert "Zari border saree" in client.get("/search?q=zari").get_data(as_text=True)
    assert client.get(f"{API}/listings", headers=headers).json["items"] == []


def test_refusing_a_listing_without_a_reason_is_refused_field_by_field(app, client):
    make_places(app)
    listing_id = _pending_listing(app)
    headers = token_for(app, make_reviewer(app, states=(9,)))
    path = f"{API}/listings/{listing_id}/decision"

    refused = client.post(path, json={"decision": "return", "note": " "}, headers=headers)
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "reason_codes": ["Choose a reason, or write a note for the seller."]}
    unknown = client.post(path, json={"decision": "reject", "reason_codes": ["ugly"]},
                          headers=headers)
    assert unknown.status_code == 422 and set(unknown.json["errors"]) == {
        "decision", "reason_codes.0"}
    assert _status(app, Listing, listing_id) == "submitted"

    answer = client.post(path, json={"decision": "return", "reason_codes": ["photo_quality"]},
                         headers=headers)
    assert answer.status_code == 200 and answer.json["review_reasons"] == ["photo_quality"]
    assert _status(app, Listing, listing_id) == "changes_requested"


def test_a_decision_on_a_version_the_seller_has_replaced_is_refused(app, client):
    make_places(app)
    listing_id = _pending_listing(app)
    headers = token_for(app, make_reviewer(app, states=(9,)))

    answer = client.post(f"{API}/listings/{listing_id}/decision", headers=headers, json={
        "decision": "approve", "seen_submission": "2020-01-01T00:00:00+00:00"})

    assert answer.status_code == 409 and "changed this listing" in answer.json["detail"]
    assert _status(app, Listing, listing_id) == "submitted"


def test_two_staff_approving_one_listing_at_once_approve_it_once(app):
    make_places(app)
    listing_id = _pending_listing(app)
    tokens = [token_for(app, make_reviewer(app, states=(9,))) for _ in range(2)]
    with serve(app) as base:
        import requests

        answers = at_once([lambda headers=headers: requests.post(
            f"{base}{API}/listings/{listing_id}/decision", json={"decision": "approve"},
            headers=headers, timeout=60) for headers in tokens])

    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    loser = next(a for a in answers if a.status_code == 409)
    assert loser.headers["Content-Type"].startswith("application/problem+json")
    assert _audit_rows(app, "listing", listing_id, to_status="approved") == 1
    assert _status(app, Listing, listing_id) == "approved"


def test_two_staff_approving_one_seller_at_once_approve_them_once(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "submitted")
    tokens = [token_for(app, make_reviewer(app, districts=(187,))) for _ in range(2)]
    detail = client.get(f"{API}/sellers/{seller_id}", headers=tokens[0]).json
    for section in (s["key"] for s in detail["sections"] if s["decidable"]):
        client.post(f"{API}/sellers/{seller_id}/sections/{section}/decision",
                    json={"decision": "verify"}, headers=tokens[0])
    with serve(app) as base:
        import requests

        answers = at_once([lambda headers=headers: requests.post(
            f"{base}{API}/sellers/{seller_id}/decision", json={"decision": "approve"},
            headers=headers, timeout=60) for headers in tokens])

    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    assert _audit_rows(app, "seller", seller_id, to_status="approved") == 1
    assert _status(app, Seller, seller_id) == "approved"


def test_a_reviewer_elsewhere_finds_nothing_and_decides_nothing(app, client):
    make_places(app)
    listing_id = _pending_listing(app)
    with app.app_context():
        seller_id = db.session.get(Listing, listing_id).seller_id
    _, waiting_id = make_seller(app, "submitted")
    headers = token_for(app, make_reviewer(app, states=(30,)))  # Goa only

    assert client.get(f"{API}/sellers", headers=headers).json["items"] == []
    assert client.get(f"{API}/listings", headers=headers).json["items"] == []
    for path in (f"{API}/sellers/{seller_id}", f"{API}/listings/{listing_id}",
                 f"{API}/sellers/999999"):
        assert client.get(path, headers=headers).status_code == 404, path
    decisions = [
        (f"{API}/listings/{listing_id}/decision", {"decision": "approve"}),
        (f"{API}/sellers/{waiting_id}/sections/pan/decision", {"decision": "verify"}),
        (f"{API}/sellers/{waiting_id}/decision", {"decision": "approve"}),
        (f"{API}/sellers/{waiting_id}/decision", {}),  # 404 before the body is read
    ]
    for path, body in decisions:
        assert client.post(path, json=body, headers=headers).status_code == 404, path
    assert _status(app, Listing, listing_id) == "submitted"
    assert _status(app, Seller, waiting_id) == "submitted"


def test_only_staff_tokens_with_the_staff_scope_may_review(app, client):
    make_places(app)
    listing_id = _pending_listing(app)
    staff_email = make_reviewer(app, states=(9,))
    refused = [token_for(app, make_user(app, Role.BUYER)),
               token_for(app, make_seller(app, "approved")[0]),
               token_for(app, staff_email, scopes=["read"])]
    for headers in refused:
        for path in (f"{API}/listings", f"{API}/listings/{listing_id}"):
            assert client.get(path, headers=headers).status_code == 403, (path, headers)
        assert client.post(f"{API}/listings/{listing_id}/decision", headers=headers,
                           json={"decision": "approve"}).status_code == 403
    assert client.get(f"{API}/listings").status_code == 401
    assert _status(app, Listing, listing_id) == "submitted"
