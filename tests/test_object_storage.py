"""Uploaded files on this machine's disk or in an S3-compatible store, through one interface.

The S3 tests talk to a real S3 API over HTTP (moto's server mode, tests/s3_helpers.py): what a
seller uploads through the pages lands in the right bucket, buyers' browsers fetch photos from
the bucket with a year's caching, documents stay private and reach only their owner and staff.
"""

import io
import re

import pytest
import requests
from click.testing import CliRunner

from odop_bazaar import storage as storage_module
from odop_bazaar.extensions import db
from odop_bazaar.models import Seller
from odop_bazaar.storage import LocalStorage
from odop_bazaar.storage_copy import copy_storage_command
from tests.conftest import log_in, make_test_app, submit
from tests.factories import make_jpeg, make_places, make_reviewer, make_seller, shop
from tests.s3_helpers import PRIVATE_BUCKET, PUBLIC_BUCKET, s3_credentials, s3_server  # noqa: F401

_IMG = re.compile(r'(?:src|srcset)="([^" ]+)')


@pytest.fixture
def s3(s3_credentials):  # noqa: F811
    with s3_server() as store:
        yield store


@pytest.fixture
def s3_app(shared_database_url, tmp_path, s3):
    yield from make_test_app(shared_database_url, tmp_path, **s3.config)


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    """One area's store on each backend."""
    if request.param == "local":
        yield LocalStorage(tmp_path / "area")
        return
    request.getfixturevalue("s3_credentials")
    with s3_server() as server:
        from odop_bazaar.storage_s3 import S3Storage, make_client

        yield S3Storage(make_client(server.config), PRIVATE_BUCKET, public=False)


def test_both_backends_keep_read_stream_list_and_delete_a_file(store):
    data = bytes(range(256)) * 4096  # 1 MB
    store.save("documents/ab/one.pdf", data)
    store.save("documents/cd/two.pdf", b"second")

    assert store.read("documents/ab/one.pdf") == data
    with store.open("documents/ab/one.pdf") as stream:
        assert stream.read(10) == data[:10]  # read in pieces, not all at once
    assert store.size("documents/ab/one.pdf") == len(data) and store.exists("documents/cd/two.pdf")
    assert sorted(store.keys()) == ["documents/ab/one.pdf", "documents/cd/two.pdf"]
    store.save("kept-uploads/1-three", b"third")
    assert list(store.keys(prefix="kept-uploads/")) == ["kept-uploads/1-three"]
    assert list(store.keys(prefix="elsewhere/")) == []
    store.delete("documents/ab/one.pdf")
    assert not store.exists("documents/ab/one.pdf") and store.size("documents/ab/one.pdf") is None
    with pytest.raises(FileNotFoundError):
        store.open("documents/ab/one.pdf")
    store.check()


def test_a_product_photo_is_fetched_from_the_bucket_with_a_years_caching(s3_app, s3, tmp_path):
    saree, _, _ = shop(s3_app)
    page = s3_app.test_client().get(f"/products/{saree}", follow_redirects=True)
    sources = [src for src in _IMG.findall(page.get_data(as_text=True)) if "/photos/" in src]

    assert sources and all(src.startswith(f"{s3.media_url}/photos/") for src in sources)
    photo = requests.get(next(src for src in sources if src.endswith(".webp")), timeout=30)
    assert photo.status_code == 200 and photo.content[:4] == b"RIFF"  # a WebP
    assert photo.headers["Content-Type"] == "image/webp"
    assert photo.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # The page lets the browser load it from there (img-src), and nothing went to the disk.
    assert s3.media_url.rsplit("/", 1)[0] in page.headers["Content-Security-Policy"]
    assert not (tmp_path / "storage").exists()


def test_a_photo_uploaded_through_the_seller_pages_lands_in_the_public_bucket(s3_app, s3):
    saree, _, _ = shop(s3_app)
    with s3_app.app_context():
        from odop_bazaar.models import Listing

        email = db.session.get(Listing, saree).seller.user.email
    before = set(s3.keys(PUBLIC_BUCKET))
    client = s3_app.test_client()
    log_in(client, email)
    answer = submit(client, f"/seller/listings/{saree}/photos", {
        "photos": [(io.BytesIO(make_jpeg(900, 700, gps=True)), "new.jpg")]},
        token_from=f"/seller/listings/{saree}", content_type="multipart/form-data")

    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    added = set(s3.keys(PUBLIC_BUCKET)) - before
    assert added and all(key.startswith("photos/") for key in added)
    jpeg = next(key for key in added if key.endswith(".jpg"))
    stored = s3.client.get_object(Bucket=PUBLIC_BUCKET, Key=jpeg)["Body"].read()
    assert b"GPS" not in stored and b"Exif" not in stored


def upload_pan(client, data: bytes):
    return submit(client, "/seller/onboarding/pan", {
        "pan": "ABCPE1234F", "pan_name": "TEST SELLER",
        "pan_card": (io.BytesIO(data), "card.jpg"), "save_later": "1"})


def test_a_document_lands_in_the_private_bucket_and_reaches_only_owner_and_staff(s3_app, s3):
    make_places(s3_app)
    email, seller_id = make_seller(s3_app, "complete")
    owner = s3_app.test_client()
    log_in(owner, email)
    assert upload_pan(owner, make_jpeg(640, 480)).status_code == 302
    with s3_app.app_context():
        document = db.session.get(Seller, seller_id).documents_of("pan_card")[0]
        document_id, key = document.id, document.storage_key

    assert key in s3.keys(PRIVATE_BUCKET) and key not in s3.keys(PUBLIC_BUCKET)
    # No object-level grant to everyone: only the bucket's (private) policy applies.
    grants = s3.client.get_object_acl(Bucket=PRIVATE_BUCKET, Key=key)["Grants"]
    assert not [g for g in grants if "AllUsers" in str(g.get("Grantee", {}))]
    served = owner.get(f"/documents/{document_id}")
    assert served.status_code == 200 and served.data[:2] == b"\xff\xd8"
    assert served.headers["Cache-Control"] == "private, no-store"

    reviewer = s3_app.test_client()
    log_in(reviewer, make_reviewer(s3_app, all_india=True))
    assert reviewer.get(f"/documents/{document_id}").data == served.data
    other = s3_app.test_client()
    log_in(other, make_seller(s3_app, "complete")[0])
    assert other.get(f"/documents/{document_id}").status_code == 404


def test_local_files_are_copied_into_the_buckets_once(shared_database_url, tmp_path, s3):
    local = tmp_path / "old-storage"
    LocalStorage(local / "public").save("photos/ab/abc-400.webp", b"photo")
    LocalStorage(local / "private").save("documents/x/pan.pdf", b"%PDF-1.7 pan")
    made = make_test_app(shared_database_url, tmp_path, **s3.config)
    app = next(made)
    runner = CliRunner()
    with app.app_context():
        first = runner.invoke(copy_storage_command, ["--from", str(local)])
        again = runner.invoke(copy_storage_command, ["--from", str(local)])
    next(made, None)

    assert first.exit_code == 0, first.output
    assert "public: 1 copied, 0 already there" in first.output
    assert "private: 1 copied, 0 already there" in first.output
    assert "public: 0 copied, 1 already there" in again.output
    assert s3.keys(PUBLIC_BUCKET) == ["photos/ab/abc-400.webp"]
    assert s3.client.get_object(Bucket=PRIVATE_BUCKET, Key="documents/x/pan.pdf")[
        "Body"].read() == b"%PDF-1.7 pan"


def test_readiness_fails_when_the_store_stops_answering(shared_database_url, tmp_path,
                                                        s3_credentials):  # noqa: F811
    with s3_server() as server:
        made = make_test_app(shared_database_url, tmp_path, **server.config)
        app = next(made)
        with app.app_context():
            storage_module.check()
        assert app.test_client().get("/readyz").status_code == 200
    with app.app_context(), pytest.raises(Exception):  # noqa: B017 - whatever boto3 raises
        storage_module.check()
    answer = app.test_client().get("/readyz")
    next(made, None)
    assert answer.status_code == 503 and "storage" in answer.get_data(as_text=True)
    assert "127.0.0.1" not in answer.get_data(as_text=True)
