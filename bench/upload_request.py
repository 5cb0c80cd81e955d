"""Time of the whole photo upload request (one 12 MP phone photo), through the app's test client.

Run: .venv/bin/python bench/upload_request.py [--queued] [--photos 6]

Without --queued, as in `make run`, no queue is configured and the photo job runs inside the
request (jobs.enqueue), so the figure includes processing. With --queued the jobs wait in a
queue, as with a worker: the figure is what the seller waits for, and the held jobs are then run
here one by one (as a worker runs them) to give the worker's photos per second.
"""

import argparse
import io
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.photo_pipeline import phone_photo  # noqa: E402
from config import TestingConfig  # noqa: E402
from odop_bazaar import create_app  # noqa: E402
from odop_bazaar.extensions import db  # noqa: E402
from odop_bazaar.models import Listing, Seller, User  # noqa: E402


class HeldJobs:
    """A queue that keeps jobs until they are run: enqueueing costs what a list append does."""

    def __init__(self) -> None:
        self.jobs = []

    def enqueue(self, function, *args) -> None:
        self.jobs.append((function, args))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queued", action="store_true")
    parser.add_argument("--photos", type=int, default=6)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'b.sqlite3'}",
                     STORAGE_ROOT=str(folder / "storage"))
    held = HeldJobs()
    if arguments.queued:
        app.extensions["job_queue"] = held
    runner = app.test_cli_runner()
    # The migrations, not create_all: they also make the search index the demo data fills.
    for command in (["db", "upgrade"], ["import-odop"], ["seed-demo"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, (command, result.output, result.exception)
    held.jobs = []  # the demo's photos, already processed by the seeding itself
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "email": "seller@example.com",
                                "password": "demo-seller-pass"})
    with app.app_context():
        # One the seller can add photos to (the demo also has one waiting for review).
        listing_id = db.session.scalars(
            db.select(Listing.id).join(Seller).join(User, User.id == Seller.user_id)
            .where(User.email == "seller@example.com",
                   Listing.status.not_in(("submitted", "removed")))).first()
    durations, worked = [], []
    for seed in range(arguments.photos):
        data = phone_photo(12, seed)
        start = time.perf_counter()
        response = client.post(f"/seller/listings/{listing_id}/photos",
                               data={"csrf_token": token, "photos": (io.BytesIO(data), "p.jpg")})
        durations.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
        for function, args in held.jobs:  # what a worker does next, timed on its own
            with app.app_context():
                start = time.perf_counter()
                function(*args)
                worked.append(time.perf_counter() - start)
        held.jobs = []
        if seed % 3 == 2:  # stay under the 8-photo limit
            with app.app_context():
                listing = db.session.get(Listing, listing_id)
                for photo in list(listing.working_content.photos)[1:]:
                    listing.working_content.photos.remove(photo)
                db.session.commit()
    print(f"upload request, one 12 MP photo{' (queued)' if arguments.queued else ''}: "
          f"median {statistics.median(durations) * 1000:.0f} ms, "
          f"max {max(durations) * 1000:.0f} ms over {len(durations)}")
    if worked:
        print(f"photo job (worker), 12 MP photo: median {statistics.median(worked) * 1000:.0f} "
              f"ms, {len(worked) / sum(worked):.2f} photos/s on one core over {len(worked)}")


if __name__ == "__main__":
    main()
