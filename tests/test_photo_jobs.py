"""Listing photos are processed by a background job: the upload request keeps the original
privately and answers; the job writes the sizes without metadata and makes the photo ready, or
failed with its reason. A listing waits for its photos before it can go to review, and buyers
never see a photo that is not ready.

Most tests hold the jobs in a queue of their own (app.extensions["job_queue"], the slot jobs.py
reads) so that the state between the upload and the job can be seen; without it, as in
`make run`, the job runs in the upload request right after the commit.
"""

import io

import pytest
from PIL import Image
from sqlalchemy import select, update

from odop_bazaar.extensions import cache, db
from odop_bazaar.models import Listing, ListingPhoto, Role, Seller
from odop_bazaar.services import catalogue as listings
from odop_bazaar.services.catalogue.errors import NotAllowed
from odop_bazaar.services.catalogue.photo_jobs import ORIGINALS, process_listing_photo
from tests.conftest import log_in, submit
from tests.factories import listing as live_listing
from tests.factories import make_jpeg, make_places, make_seller, make_user


class HeldJobs:
    """A queue that keeps what is enqueued until the test runs it, as a worker would later."""

    def __init__(self) -> None:
        self.jobs = []

    def enqueue(self, function, *args, **options) -> None:  # options: retry, as RQ takes
        self.jobs.append((function, args))

    def run(self, app) -> None:
        """Run every held job as a worker does: in an app context, with no request."""
        jobs, self.jobs = self.jobs, []
        for function, args in jobs:
            with app.app_context():
                function(*args)


def hold_jobs(app) -> HeldJobs:
    """From now on, this app's jobs wait in a HeldJobs queue (the app is the test's own)."""
    queue = HeldJobs()
    app.extensions["job_queue"] = queue
    return queue


@pytest.fixture
def held(app):
    return hold_jobs(app)


@pytest.fixture
def seller(app, client):
    """An approved seller, logged in, with a draft listing that has its description."""
    make_places(app)
    make_user(app, role=Role.STAFF)
    email, seller_id = make_seller(app, "approved")
    log_in(client, email)
    with app.test_request_context():
        owner = db.session.get(Seller, seller_id)
        item = listings.create_listing(
            owner, {"odop_product_id": owner.products[0].id, "title": "Saree", "gst_rate": 5,
                    "description": "Silk"}, {"price": "100", "mrp": "100", "stock": "1"})
        return seller_id, item.id


def upload(client, listing_id: int, data: bytes, name: str = "IMG_0001.jpg"):
    return submit(client, f"/seller/listings/{listing_id}/photos",
                  {"photos": (io.BytesIO(data), name)},
                  token_from=f"/seller/listings/{listing_id}")


def photos_of(app, listing_id: int) -> list[ListingPhoto]:
    with app.app_context():
        photos = db.session.get(Listing, listing_id).working_content.photos
        db.session.expunge_all()
        return photos


def files(app, area: str) -> dict[str, bytes]:
    """The files in a storage area: every photo file, or the originals waiting (not the
    seller's documents, also private)."""
    root = app.extensions["storage"][area].root
    if area == "private":
        root = root / ORIGINALS
    return ({str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
            if root.exists() else {})


def test_an_upload_is_kept_privately_as_processing_and_the_job_makes_it_ready(
        app, client, seller, held):
    _, listing_id = seller
    data = make_jpeg(1200, 900, gps=True, orientation=6)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "a GPS position to remove"

    response = upload(client, listing_id, data)

    assert response.status_code == 302
    (photo,) = photos_of(app, listing_id)
    assert (photo.status, photo.width, photo.height) == ("processing", 0, 0)
    assert files(app, "private") == {photo.original_key.split("/", 1)[1]: data}, "the original, as it came"
    assert files(app, "public") == {}
    assert held.jobs == [(process_listing_photo, (photo.id,))]
    page = client.get(f"/seller/listings/{listing_id}").get_data(as_text=True)
    assert "Processing…" in page and "data-photos-processing" in page
    assert photo.key(320, "webp") not in page, "no image before it has files"

    held.run(app)

    (photo,) = photos_of(app, listing_id)
    assert (photo.status, photo.original_key, photo.failure) == ("ready", None, None)
    assert (photo.width, photo.height) == (900, 1200), "turned upright"
    assert files(app, "private") == {}, "the original (with its GPS position) is deleted"
    stored = files(app, "public")
    assert len(stored) == 6
    for content in stored.values():
        image = Image.open(io.BytesIO(content))
        assert not image.getexif() and "exif" not in image.info
    page = client.get(f"/seller/listings/{listing_id}").get_data(as_text=True)
    assert "Processing…" not in page and photo.key(320, "webp") in page
    listing_page = client.get(f"/seller/listings/{listing_id}/photos")
    assert listing_page.status_code == 200
    assert "data-photos-processing" not in listing_page.get_data(as_text=True)


def test_the_job_run_twice_or_after_the_photo_was_removed_changes_nothing_more(
        app, client, seller, held):
    seller_id, listing_id = seller
    upload(client, listing_id, make_jpeg(800, 600))
    upload(client, listing_id, make_jpeg(700, 500))
    (first_job, second_job) = held.jobs
    held.jobs = [first_job, first_job]  # delivered twice, as a queue may do
    held.run(app)
    first, second = photos_of(app, listing_id)
    assert (first.status, first.width, first.height) == ("ready", 800, 600)
    assert len(files(app, "public")) == 6
    assert list(files(app, "private")) == [second.original_key.split("/", 1)[1]]

    with app.test_request_context():  # the seller removes the second before its job runs
        listings.change_photo(db.session.get(Seller, seller_id),
                              db.session.get(Listing, listing_id), second.id, "remove")
    held.jobs = [second_job]
    held.run(app)
    assert [p.id for p in photos_of(app, listing_id)] == [first.id]
    assert files(app, "private") == {} and len(files(app, "public")) == 6


def test_a_photo_that_cannot_be_decoded_is_reported_on_the_listing_page_and_removed(
        app, client, seller):
    _, listing_id = seller
    response = upload(client, listing_id, make_jpeg(800, 600)[:3000], "broken.jpg")

    assert response.status_code == 302, "taken: only decoding finds it broken"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This photo could not be used." in page
    assert "It could not be read as an image: the file is damaged or incomplete." in page
    (photo,) = photos_of(app, listing_id)
    assert (photo.status, photo.failure, photo.original_key) == ("failed", "damaged", None)
    assert files(app, "private") == {} and files(app, "public") == {}

    refused = submit(client, f"/seller/listings/{listing_id}/status",
                     {"submit_review": "1"}, token_from=f"/seller/listings/{listing_id}")
    assert "Remove the photos that could not be used." in client.get(
        refused.headers["Location"]).get_data(as_text=True)
    submit(client, f"/seller/listings/{listing_id}/photos/{photo.id}", {"action": "remove"},
           token_from=f"/seller/listings/{listing_id}")
    assert photos_of(app, listing_id) == []


def test_a_listing_cannot_be_sent_for_review_while_a_photo_is_processing(
        app, client, seller, held):
    seller_id, listing_id = seller
    upload(client, listing_id, make_jpeg(800, 600))

    page = client.get(f"/seller/listings/{listing_id}").get_data(as_text=True)
    assert "Wait until your photos have been processed" in page
    assert 'name="submit_review"' not in page
    refused = submit(client, f"/seller/listings/{listing_id}/status", {"submit_review": "1"},
                     token_from=f"/seller/listings/{listing_id}")
    assert "Wait until your photos have been processed" in client.get(
        refused.headers["Location"]).get_data(as_text=True)
    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        with pytest.raises(NotAllowed):
            listings.submit_listing(db.session.get(Seller, seller_id), item)
        assert db.session.get(Listing, listing_id).status == "draft"

    held.run(app)
    sent = submit(client, f"/seller/listings/{listing_id}/status", {"submit_review": "1"},
                  token_from=f"/seller/listings/{listing_id}")
    assert sent.status_code == 302
    with app.app_context():
        assert db.session.get(Listing, listing_id).status == "submitted"


def test_a_live_listings_change_waits_for_its_photos_and_buyers_never_see_them(app, client):
    make_places(app)
    make_user(app, role=Role.STAFF)
    email, seller_id = make_seller(app, "approved")
    listing_id = live_listing(app, seller_id, "Banarasi saree")  # its photo processed at once
    hold_jobs(app)
    log_in(client, email)
    upload(client, listing_id, make_jpeg(700, 500))  # a change: held
    live, new = photos_of(app, listing_id)
    assert new.status == "processing"

    refused = submit(client, f"/seller/listings/{listing_id}/status", {"submit_review": "1"},
                     token_from=f"/seller/listings/{listing_id}")
    assert "Wait until your photos" in client.get(refused.headers["Location"]).get_data(
        as_text=True)
    with app.app_context():
        assert db.session.get(Listing, listing_id).status == "approved"

    buyer = app.test_client()
    product = buyer.get(f"/products/{listing_id}", follow_redirects=True)
    assert product.status_code == 200
    page = product.get_data(as_text=True)
    assert live.digest in page and new.digest not in page and "Processing" not in page

    # Even a photo that is not ready in the approved version itself is not shown.
    with app.app_context():
        live_id = db.session.get(Listing, listing_id).live_content.photos[0].id
        db.session.execute(update(ListingPhoto).where(ListingPhoto.id == live_id)
                           .values(status="failed", failure="damaged"))
        db.session.commit()
        cache.clear()  # the change went round the services, so nothing told the page cache
    page = buyer.get(f"/products/{listing_id}", follow_redirects=True).get_data(as_text=True)
    assert live.digest not in page and "could not be used" not in page


def test_photos_of_a_change_copied_from_the_live_version_stay_ready(app):
    make_places(app)
    make_user(app, role=Role.STAFF)
    _, seller_id = make_seller(app, "approved")
    listing_id = live_listing(app, seller_id, "Banarasi saree")
    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        (photo,) = item.live_content.photos
        listings.change_photo(db.session.get(Seller, seller_id), item, photo.id, "cover")
        item = db.session.get(Listing, listing_id)
        assert item.draft_content_id != item.live_content_id
        assert db.session.scalars(select(ListingPhoto.status).where(
            ListingPhoto.content_id == item.draft_content_id)).all() == ["ready"]


def test_an_upload_while_the_queue_is_down_is_kept_and_the_sweep_processes_it(
        app, client, seller):
    from rq import Queue

    from odop_bazaar import schedule
    from tests.conftest import free_port
    from tests.redis_helpers import redis_client

    _, listing_id = seller
    # A real RQ queue on a port where nothing answers: enqueue raises, as with Redis down.
    app.extensions["job_queue"] = Queue("odop", connection=redis_client(
        f"redis://127.0.0.1:{free_port()}/0"))

    response = upload(client, listing_id, make_jpeg(800, 600))

    assert response.status_code == 302, "the seller's photo is kept, not answered with a 500"
    (photo,) = photos_of(app, listing_id)
    assert photo.status == "processing" and files(app, "private")

    app.extensions["job_queue"] = None  # the queue is back (here: jobs run in process)
    with app.app_context():
        assert schedule.requeue_photos() == "Photos queued again: 1."
    (photo,) = photos_of(app, listing_id)
    assert (photo.status, photo.width, photo.height) == ("ready", 800, 600)
    assert files(app, "private") == {}
