"""Returns asked and accepted at the same moment, through a live server: "Ask for the return"
pressed several times at once makes one return (every other press is told the units are already
in it), and two exchanges accepted at once for the last unit in stock: one wins."""

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Order
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.returns import ReturnLine, ReturnRequest
from odop_bazaar.services.returns import requests
from tests.live import Visitor, at_once, serve
from tests.returns_helpers import delivered, user

PRESSES = 6


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_pressing_ask_for_the_return_at_once_makes_one_return(app):
    found = delivered(app, quantity="1")
    path = f"/orders/{found['reference']}/{found['order']}/return"
    with serve(app) as base:
        buyer = Visitor(base).log_in(found["buyer"])
        form = buyer.form(path, {f"qty_{found['item']}": "1", "reason": "defective",
                                 "resolution": "exchange"})
        answers = at_once([lambda: buyer.post(path, form)] * PRESSES)
    assert not [a for a in answers if isinstance(a, Exception)], answers
    codes = sorted(a.status_code for a in answers)
    assert codes == [303] + [422] * (PRESSES - 1), [(a.status_code, a.text[:300])
                                                     for a in answers]
    assert all("already in a return" in a.text for a in answers if a.status_code == 422)
    assert _count(app, ReturnRequest) == 1 and _count(app, ReturnLine) == 1
    assert _count(app, AuditEntry, AuditEntry.object_type == "return") == 1


def test_two_exchanges_accepted_at_once_cannot_both_take_the_last_unit(app):
    found = delivered(app, quantity="2", stock="3")  # one unit left
    with app.test_request_context():
        order = db.session.get(Order, found["order"])
        ids = [requests.request_return(order, user(found["buyer"]), requests.ReturnAsk(
            {found["item"]: 1}, "defective", "exchange")).id for _ in range(2)]
    with serve(app) as base:
        sellers = [Visitor(base).log_in(found["seller"]) for _ in ids]
        forms = [s.form("/seller/returns", {"buyer_sends": "y"}) for s in sellers]
        answers = at_once([lambda s=s, f=f, i=i: s.post(f"/seller/returns/{i}/accept", f)
                           for s, f, i in zip(sellers, forms, ids, strict=True)])
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert {a.status_code for a in answers} == {303}
    assert _count(app, ReturnRequest, ReturnRequest.status == "accepted") == 1
    assert _count(app, ReturnRequest, ReturnRequest.status == "requested") == 1
    with app.app_context():
        assert db.session.get(Listing, found["saree"]).stock == 0
