"""Seller onboarding: /sell, the checklist at /seller/onboarding and its sections, documents."""

from flask import Blueprint

bp = Blueprint("onboarding", __name__)

from odop_bazaar.onboarding import routes  # noqa: E402,F401
