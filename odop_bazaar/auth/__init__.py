"""Accounts: register, log in and out, verify email, reset and change password, account page,
API tokens."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from odop_bazaar.auth import login_times, routes, token_routes  # noqa: E402,F401
