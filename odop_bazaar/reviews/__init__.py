"""Ratings and reviews: one blueprint. buyer (writing a review of a delivered order line,
reporting a review) and seller (the seller's reviews and their one reply); staff decide in
staff/reviews.py."""

from flask import Blueprint

bp = Blueprint("reviews", __name__)

from odop_bazaar.reviews import buyer, seller  # noqa: E402,F401
