"""A double click never makes two reviews or two replies: the same form sent six times at once,
through a live server, on SQLite and PostgreSQL. One review (one reply) is stored; every other
click is told it was done already, and nobody meets an error page."""

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Review
from tests.live import Visitor, at_once, serve
from tests.review_helpers import bought, review_page

CLICKS = 6


def _clicks(visitor: Visitor, path: str, data: dict, token_from: str) -> list:
    form = visitor.form(path, data, token_from=token_from)
    answers = at_once([lambda: visitor.post(path, form) for _ in range(CLICKS)])
    assert not [a for a in answers if isinstance(a, Exception)], answers
    return answers


def test_a_review_sent_six_times_at_once_is_stored_once(app):
    sale = bought(app)
    line = sale["saree"]["line"]
    with serve(app) as base:
        buyer = Visitor(base).log_in(sale["buyer_email"])
        answers = _clicks(buyer, review_page(line), {"rating": "3", "text": "Good"},
                          token_from=review_page(line))
    codes = sorted(answer.status_code for answer in answers)
    assert codes.count(303) == 1 and set(codes) <= {303, 422}, codes
    refused = [a.text for a in answers if a.status_code == 422]
    assert all("reviewed this already" in text for text in refused)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Review)) == 1
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == "review", AuditEntry.action == "written")) == 1


def test_a_reply_sent_six_times_at_once_is_written_once(app):
    sale = bought(app)
    with serve(app) as base:
        buyer = Visitor(base).log_in(sale["buyer_email"])
        line = sale["saree"]["line"]
        assert buyer.post(review_page(line), buyer.form(review_page(line), {"rating": "2"})
                          ).status_code == 303
        with app.app_context():
            review_id = db.session.scalar(select(Review.id))
        seller = Visitor(base).log_in(sale["saree"]["seller_email"])
        answers = _clicks(seller, f"/seller/reviews/{review_id}/reply",
                          {f"r{review_id}-text": "We are sorry"}, token_from="/seller/reviews")
    codes = sorted(answer.status_code for answer in answers)
    assert codes.count(303) == 1 and set(codes) <= {303, 422}, codes
    with app.app_context():
        assert db.session.get(Review, review_id).reply_text == "We are sorry"
