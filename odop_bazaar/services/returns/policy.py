"""A seller's return policy beyond the law: whether "I changed my mind" is a reason their buyers
may give. Defective, damaged, not-as-described, wrong and late goods are always taken back."""

from odop_bazaar.extensions import db
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services import workflow


def set_change_of_mind(seller_id: int, allowed: bool, *, actor_id: int) -> bool:
    """Allow or stop change-of-mind returns for new requests (open ones keep their reason);
    audited when it changes. Returns whether anything changed."""
    seller = db.session.get(Seller, seller_id)
    if seller.accepts_change_of_mind == allowed:
        return False
    seller.accepts_change_of_mind = allowed
    workflow.record(actor_id=actor_id, object_type="seller", object_id=seller_id,
                    action="return_policy",
                    note="change of mind accepted" if allowed else "change of mind not accepted")
    db.session.commit()
    return True
