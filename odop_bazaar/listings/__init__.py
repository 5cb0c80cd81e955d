"""Sellers' listings: /seller/listings, new listings, content, price and stock, photos."""

from flask import Blueprint

bp = Blueprint("listings", __name__)

from odop_bazaar.listings import routes  # noqa: E402,F401
