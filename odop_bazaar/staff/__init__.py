"""The staff console: one blueprint, a module per part.

routes (review queues and decisions, orders, settings), dashboard (/staff), users (accounts and
reviewers' places), settlements (ledger and payouts), exports (CSV), audit (the audit log) and
reference (uploading a newer ODOP list).
"""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from odop_bazaar.staff import (  # noqa: E402,F401
    audit,
    dashboard,
    exports,
    reference,
    routes,
    settlements,
    users,
)
