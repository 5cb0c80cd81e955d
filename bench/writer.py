"""The shop changing while buyers browse: one change a second through the app's own services.

In turn: staff approve a new listing waiting for review (bench-data --pending makes them), a
buyer's order takes a listing's whole stock (the stock service, as checkout does), a seller
unpublishes a listing. Listings are picked from the product URL list the load is spread over, so
the changes touch pages that are being read. On SIGTERM it stops, puts back what it took off the
shop (stock returned, listings republished; approvals stay), and prints a summary.

Each line it prints is JSON: {"event": "ready"}, then one {"event": "change", ...} per change,
then {"event": "done", ...}.

    DATABASE_URL=... .venv/bin/python -m bench.writer --products DIR/products.txt [--interval 1]
"""

import argparse
import json
import random
import re
import secrets
import signal
import time

from sqlalchemy import select

STAFF_EMAIL = "bench-writer@example.com"
ACTIONS = ("approve", "sell_out", "unpublish")


def say(**event) -> None:
    print(json.dumps(event), flush=True)


def staff_user():
    """The writer's staff account (made once; its password is thrown away)."""
    from odop_bazaar.extensions import db
    from odop_bazaar.models import Role, User
    from odop_bazaar.services.accounts import users

    user = db.session.scalar(select(User).where(User.email == STAFF_EMAIL))
    return user or users.create_user(
        email=STAFF_EMAIL, password=secrets.token_urlsafe(24), full_name="Bench writer",
        role=Role.STAFF, email_verified=True, all_india=True)


class Writer:
    """Makes the changes and remembers how to undo those that took something off the shop."""

    def __init__(self, listing_ids: list[int], rng: random.Random):
        self.listing_ids = listing_ids
        self.rng = rng
        self.staff = staff_user()
        self.sold_out: list[tuple[int, int]] = []
        self.unpublished: list[int] = []

    def change(self, action: str) -> tuple[int | None, str | None]:
        """Make one change of this kind: the listing changed (None when there was nothing to),
        and the error when the database refused it (SQLite: "database is locked")."""
        from sqlalchemy.exc import OperationalError

        from odop_bazaar.extensions import db

        try:
            return getattr(self, action)(), None
        except OperationalError as error:
            db.session.rollback()
            return None, str(error.orig)

    def approve(self) -> int | None:
        from odop_bazaar.extensions import db
        from odop_bazaar.models.catalogue import Listing, ListingStatus
        from odop_bazaar.services import catalogue

        listing = db.session.scalar(
            select(Listing).where(Listing.status == ListingStatus.SUBMITTED.value,
                                  Listing.live_content_id.is_(None))
            .order_by(Listing.id).limit(1))
        if listing is None:
            return None
        catalogue.approve_listing(listing, self.staff)
        return listing.id

    def sell_out(self) -> int | None:
        from odop_bazaar.extensions import db
        from odop_bazaar.services.catalogue import stock

        listing = self._live_listing(lambda listing: listing.stock > 0
                                     and not listing.made_to_order)
        if listing is None:
            return None
        quantity = listing.stock
        if stock.reserve({listing.id: quantity}) is not None:
            db.session.rollback()
            return None
        db.session.commit()
        self.sold_out.append((listing.id, quantity))
        return listing.id

    def unpublish(self) -> int | None:
        from odop_bazaar.services import catalogue

        listing = self._live_listing(lambda listing: True)
        if listing is None:
            return None
        catalogue.unpublish_listing(listing.seller, listing)
        self.unpublished.append(listing.id)
        return listing.id

    def _live_listing(self, wanted):
        from odop_bazaar.extensions import db
        from odop_bazaar.models.catalogue import Listing, ListingStatus

        touched = {listing_id for listing_id, _ in self.sold_out} | set(self.unpublished)
        for listing_id in self.rng.sample(self.listing_ids, min(50, len(self.listing_ids))):
            listing = db.session.get(Listing, listing_id)
            if (listing_id not in touched and listing is not None
                    and listing.status == ListingStatus.APPROVED.value and wanted(listing)):
                return listing
        return None

    def restore(self) -> None:
        """Put back what was taken off the shop, so the next run starts from the same shop."""
        from odop_bazaar.extensions import db
        from odop_bazaar.models.catalogue import Listing
        from odop_bazaar.services import catalogue
        from odop_bazaar.services.catalogue import stock

        stock.put_back(self.sold_out)
        db.session.commit()
        for listing_id in self.unpublished:
            listing = db.session.get(Listing, listing_id)
            catalogue.republish_listing(listing.seller, listing)


def listing_ids(products_file: str) -> list[int]:
    with open(products_file) as paths:
        return [int(m.group(1)) for line in paths if (m := re.match(r"/products/(\d+)", line))]


def run(writer: Writer, interval: float, stop) -> list[dict]:
    changes = []
    next_at = time.monotonic()
    while not stop():
        action = ACTIONS[len(changes) % len(ACTIONS)]
        started = time.monotonic()
        listing_id, error = writer.change(action)
        change = dict(action=action, listing=listing_id, error=error,
                      ms=round((time.monotonic() - started) * 1000, 1))
        changes.append(change)
        say(event="change", **change)
        next_at += interval
        while not stop() and time.monotonic() < next_at:
            time.sleep(0.02)
    return changes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", required=True, help="the product URL list (products.txt)")
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    from odop_bazaar import create_app

    with create_app().app_context():
        writer = Writer(listing_ids(args.products), random.Random())  # nosec B311
        say(event="ready")
        changes = run(writer, args.interval, lambda: bool(stopping))
        writer.restore()
        say(event="done", changes=len(changes),
            failed=sorted({c["error"] for c in changes if c["error"]}),
            failures=sum(1 for c in changes if c["error"]),
            **{action: sum(1 for c in changes if c["action"] == action and c["listing"])
               for action in ACTIONS},
            unpublished=writer.unpublished, sold_out=[i for i, _ in writer.sold_out])


if __name__ == "__main__":
    main()
