"""Buying: the cart, checkout, the buyer's and the seller's orders, and the Stripe webhook."""

from flask import Blueprint

bp = Blueprint("orders", __name__)

from odop_bazaar.orders import routes  # noqa: E402,F401
