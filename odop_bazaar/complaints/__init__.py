"""Complaint tickets for buyers and sellers: opening one about their own order, listing or
payout, their list, and a ticket's page (follow it, reply, reopen). The grievance officer's side
is in staff/complaints.py."""

from flask import Blueprint

bp = Blueprint("complaints", __name__)

from odop_bazaar.complaints import routes  # noqa: E402,F401
