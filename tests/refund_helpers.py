"""Orders to refund: a cash-on-delivery order taken to delivered by its seller, and the people
who refund it."""

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Order, User
from odop_bazaar.models.returns import ReturnRequest, ReturnStatus
from tests.checkout_helpers import add, client_of, deliver, place
from tests.factories import make_reviewer, shop

PAYEE = {"payee_name": "Asha Verma", "account_number": "50100012345678", "ifsc": "HDFC0001234"}



def cod_order(app, *, delivered: bool = True) -> dict:
    """A buyer's cash-on-delivery order of one saree (₹ total in `total`), delivered unless
    told otherwise; the seller's id and email, and a staff member working on their state."""
    saree, _stole, buyer = shop(app)
    client = client_of(app, buyer)
    add(client, saree)
    reference = place(client).headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        order = db.session.scalar(select(Order))
        seller = db.session.get(Listing, saree).seller
        found = {"order": order.id, "total": order.total_paise, "reference": reference,
                 "seller": seller.id, "seller_email": seller.user.email, "buyer": buyer,
                 "buyer_client": client, "state": seller.state_lgd_code}
    if delivered:
        deliver(app, found["seller_email"], found["order"])
    found["staff"] = make_reviewer(app, states=[found["state"]])
    return found


def user(email: str) -> User:
    """The account with this email (in an app context)."""
    return db.session.scalar(select(User).where(User.email == email))


def a_return(order_id: int) -> int:
    """A return of the order, written straight in (call in an app context): what a refund made
    for a return names. Its id."""
    order = db.session.get(Order, order_id)
    made = ReturnRequest(order_id=order.id, buyer_id=order.buyer_id, seller_id=order.seller_id,
                         status=ReturnStatus.RECEIVED, reason="defective", resolution="refund",
                         amount_paise=100)
    db.session.add(made)
    db.session.commit()
    return made.id
