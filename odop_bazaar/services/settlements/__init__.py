"""Settlements: what the marketplace owes each seller, and payouts."""
