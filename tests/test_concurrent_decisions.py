"""Decisions sent at once are applied once: two staff members pressing "Approve" three times each
on the same seller or listing, two reviewers deciding the same section, a seller saving stock from
two tabs. Real concurrent requests through a live server, on SQLite and PostgreSQL.

Exactly one of the identical decisions wins (one audit row, one email); every other is told it was
already decided, and changes nothing.
"""

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Listing, Role, SectionKey, Seller, User
from odop_bazaar.services import sellers as onboarding
from tests.factories import listing, make_places, make_seller, make_user
from tests.live import Visitor, at_once, serve

CLICKS_EACH = 3


def _audit_rows(app, object_type: str, object_id: int, **match) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == object_type, AuditEntry.object_id == object_id,
            *(getattr(AuditEntry, name) == value for name, value in match.items())))


def _two_reviewers(app, base: str) -> list[Visitor]:
    return [Visitor(base).log_in(make_user(app, Role.STAFF)) for _ in range(2)]


def _everyone_clicks(reviewers: list[Visitor], path: str, data: dict, token_from: str) -> list:
    forms = [reviewer.form(path, data, token_from=token_from) for reviewer in reviewers]
    answers = at_once([lambda r=reviewer, f=form: r.post(path, f)
                       for reviewer, form in zip(reviewers, forms, strict=True)
                       for _ in range(CLICKS_EACH)])
    assert not [a for a in answers if isinstance(a, Exception)], answers
    # Nobody meets an error page: each is sent back to a page that says what happened.
    assert {answer.status_code for answer in answers} <= {302, 303}, \
        [(a.status_code, a.text[:300]) for a in answers]
    return answers


def _seller_under_review(app) -> tuple[str, int]:
    """A submitted seller whose every section a reviewer has verified: ready to approve."""
    email, seller_id = make_seller(app, "submitted")
    staff_email = make_user(app, Role.STAFF)
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        staff = db.session.scalar(select(User).where(User.email == staff_email))
        for row in list(seller.sections):
            if row.status == "submitted":
                onboarding.decide_section(seller, SectionKey(row.key), verified=True, note="",
                                          actor=staff)
    return email, seller_id


def test_two_reviewers_approving_a_seller_at_once_approve_it_once(app, outbox):
    make_places(app)
    seller_email, seller_id = _seller_under_review(app)
    mails_before = len(outbox)
    with serve(app) as base:
        reviewers = _two_reviewers(app, base)
        page = f"/staff/sellers/{seller_id}"
        _everyone_clicks(reviewers, f"{page}/decision", {"approve": "Approve seller", "note": ""},
                         token_from=page)
        told = [reviewer.get(page).text for reviewer in reviewers]

    assert _audit_rows(app, "seller", seller_id, to_status="approved") == 1
    approvals = [m for m in outbox[mails_before:] if m["To"] == seller_email]
    assert len(approvals) == 1 and "approved" in approvals[0]["Subject"]
    with app.app_context():
        assert db.session.get(Seller, seller_id).status == "approved"
    # The reviewer whose clicks lost is told why (the message waits on their next page).
    assert any("Someone else changed this a moment ago" in text
               or "not waiting for review" in text for text in told)


def test_two_reviewers_approving_a_listing_at_once_approve_it_once(app, outbox):
    make_places(app)
    seller_email, seller_id = make_seller(app, "approved")
    listing_id = listing(app, seller_id, "Banarasi saree", approve=False)
    with app.app_context():
        submitted = db.session.get(Listing, listing_id).submitted_at.isoformat()
    mails_before = len(outbox)
    with serve(app) as base:
        reviewers = _two_reviewers(app, base)
        page = f"/staff/listings/{listing_id}"
        _everyone_clicks(reviewers, f"{page}/decision",
                         {"approve": "Approve", "note": "", "submission": submitted},
                         token_from=page)

    assert _audit_rows(app, "listing", listing_id, to_status="approved") == 1
    assert len([m for m in outbox[mails_before:] if m["To"] == seller_email]) == 1
    with app.app_context():
        assert db.session.get(Listing, listing_id).status == "approved"


def test_two_reviewers_deciding_one_section_at_once_record_one_decision(app):
    make_places(app)
    _email, seller_id = make_seller(app, "submitted")
    with serve(app) as base:
        reviewers = _two_reviewers(app, base)
        page = f"/staff/sellers/{seller_id}"
        _everyone_clicks(reviewers, f"{page}/sections/pan", {"verify": "Verified", "note": ""},
                         token_from=page)

    assert _audit_rows(app, "seller", seller_id, action="section:pan") == 1
    # The first decision also put the application under review, once.
    assert _audit_rows(app, "seller", seller_id, to_status="in_review") == 1


def test_stock_figures_saved_from_several_tabs_at_once_keep_one_and_refuse_the_others(app):
    make_places(app)
    seller_email, seller_id = make_seller(app, "approved")
    listing_id = listing(app, seller_id, "Banarasi saree", stock="3")
    path = f"/seller/listings/{listing_id}/price"
    figures = ("5", "6", "7", "8", "9", "10")  # each tab opened at 3, each saves its own figure
    with serve(app) as base:
        tabs = [Visitor(base).log_in(seller_email) for _ in figures]
        edit = f"/seller/listings/{listing_id}/edit"
        forms = [tab.form(path, {"price": "100", "mrp": "120", "stock": figure,
                                 "stock_seen": "3", "lead_time_days": "",
                                 "save_prices": "Save price and stock"}, token_from=edit)
                 for tab, figure in zip(tabs, figures, strict=True)]
        answers = at_once([lambda t=tab, f=form: t.post(path, f)
                           for tab, form in zip(tabs, forms, strict=True)])

    assert sorted(answer.status_code for answer in answers) == [302] + [422] * 5, \
        [(a.status_code, a.text[:300]) for a in answers]
    with app.app_context():
        kept = db.session.get(Listing, listing_id).stock
    saved = next(form["stock"] for form, answer in zip(forms, answers, strict=True)
                 if answer.status_code == 302)
    assert kept == int(saved)
    # Every tab that lost is told the figure it did not see, and keeps what was typed.
    for form, answer in zip(forms, answers, strict=True):
        if answer.status_code == 422:
            assert f"The stock changed to {kept} since you opened this page" in answer.text
            assert f'value="{form["stock"]}"' in answer.text


def test_a_seller_pressing_submit_several_times_at_once_submits_once(app, outbox):
    make_places(app)
    seller_email, seller_id = make_seller(app, "complete")
    with serve(app) as base:
        seller = Visitor(base).log_in(seller_email)
        form = seller.form("/seller/onboarding/submit", {"submit": "Submit for review"},
                           token_from="/seller/onboarding")
        answers = at_once([lambda: seller.post("/seller/onboarding/submit", form)] * 4)

    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert {answer.status_code for answer in answers} <= {302, 303}, \
        [(a.status_code, a.text[:300]) for a in answers]
    assert _audit_rows(app, "seller", seller_id, to_status="submitted") == 1
    assert len([m for m in outbox if m["To"] == seller_email]) == 1
