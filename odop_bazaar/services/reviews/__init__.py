"""Ratings and reviews: writing.py (the buyer's review, the seller's reply, reports),
moderation.py (staff hide, unhide or keep), queries.py (reads; never commits), errors.py."""
