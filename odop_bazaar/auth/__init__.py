"""Accounts: register, log in and out, verify email, reset and change password, account page."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from odop_bazaar.auth import routes  # noqa: E402,F401
