"""Public pages: home, states, districts, sectors, search and product photos."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from odop_bazaar.public import routes  # noqa: E402,F401
