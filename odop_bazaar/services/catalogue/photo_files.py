"""Photos' stored files: written once per photo, deleted once no listing version (nor review)
uses them.

Files are named by the digest of the uploaded bytes, so versions of a listing (and the same photo
uploaded twice) share them.
"""

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import ListingPhoto
from odop_bazaar.models.reviews import ReviewPhoto
from odop_bazaar.services.catalogue.images import SIZES, ProcessedPhoto
from odop_bazaar.storage import storage


def save_photo_files(photo: ProcessedPhoto) -> None:
    """Write every size and format of a processed photo to the public store."""
    store = storage("public")
    for variant in photo.variants:
        key = photo.key(variant)
        if not store.exists(key):  # the same photo, uploaded before
            store.save(key, variant.data)


def delete_unused_photo_files(digests: set[str]) -> None:
    """Delete the stored files of photos no listing version uses any more."""
    if not digests:
        return
    used = set(db.session.scalars(select(ListingPhoto.digest).where(
        ListingPhoto.digest.in_(digests))))
    # A review's photo may be the same file (models/reviews.py: ReviewPhoto).
    used |= set(db.session.scalars(select(ReviewPhoto.digest).where(
        ReviewPhoto.digest.in_(digests))))
    store = storage("public")
    for digest in digests - used:
        for size in SIZES:
            for extension in ("webp", "jpg"):
                store.delete(f"photos/{digest[:2]}/{digest}-{size}.{extension}")
