"""Complaint tickets: tickets (the writes, each committing once) and queries (the reads)."""
