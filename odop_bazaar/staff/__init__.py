"""The staff console: one blueprint, a module per part.

dashboard (/staff), seller_review and listing_review (the queues and their decisions), orders
(all sellers' orders), settings (delivery charges, commission), users (accounts and reviewers'
places), settlements (ledger and payouts), exports (CSV), audit (the audit log) and reference
(uploading a newer ODOP list); complaints (the grievance officer's queue of tickets); returns
(the returns queue and escalated refusals); refunds (bank refunds to pay); mail (email
that could not be sent, for admins). filters reads the
lists' filter forms, for pages and exports; scoped opens a seller or listing only within the
reviewer's places.
"""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from odop_bazaar.staff import (  # noqa: E402,F401
    audit,
    complaints,
    dashboard,
    exports,
    listing_review,
    mail,
    orders,
    reference,
    refunds,
    returns,
    reviews,
    seller_review,
    settings,
    settlements,
    users,
)
