"""The staff console: seller review queue and decisions (listings and more join later)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from odop_bazaar.staff import routes  # noqa: E402,F401
