"""The shop as buyers see it: product pages (browse and search join here)."""

from flask import Blueprint

bp = Blueprint("shop", __name__)

from odop_bazaar.shop import routes, stock_alerts  # noqa: E402,F401
