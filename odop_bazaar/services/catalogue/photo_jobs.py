"""The listing photo job: turn a kept original into the sizes buyers see, off the request.

The upload request (listings.add_photos) only checks what is cheap, keeps the original in
private storage and adds the photo as "processing"; this job, run by a worker (or in-process when
no queue is configured, jobs.py), decodes it, writes every size without metadata under its
content-hash keys in public storage, and makes the photo "ready", or "failed" with the reason.

Safe to run twice, or twice at once: the files are named by content (the second write is
skipped or writes the same bytes), and the status moves only from "processing", by a
compare-and-set (workflow.claim), so one run wins and the other changes nothing. A photo removed
meanwhile is not an error: its row is gone, so the files written for it are deleted again unless
another photo uses them.
"""

import logging

from redis.exceptions import RedisError
from sqlalchemy import select

from odop_bazaar import jobs
from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import PHOTO_TRANSITIONS, ListingPhoto, PhotoStatus
from odop_bazaar.services import workflow
from odop_bazaar.services.catalogue.images import PhotoRefused, process_photo
from odop_bazaar.services.catalogue.photo_files import delete_unused_photo_files, save_photo_files
from odop_bazaar.storage import storage

# Where the originals wait in private storage (each under a random name) until processed.
ORIGINALS = "photo-originals"

log = logging.getLogger(__name__)


def process_listing_photo(photo_id: int) -> None:
    """Process one uploaded listing photo; commits. Does nothing if it is not processing."""
    photo = db.session.get(ListingPhoto, photo_id)
    if photo is None or photo.status != PhotoStatus.PROCESSING:
        return  # removed by the seller, or done by an earlier run
    key = photo.original_key
    try:
        data = storage("private").read(key)
    except FileNotFoundError:
        # A run at the same time finished first and deleted it; its row says how it went.
        log.warning("listing photo %s: original %s already gone", photo_id, key)
        return
    try:
        processed = process_photo(data)
    except PhotoRefused as refusal:
        _finish(photo, key, PhotoStatus.FAILED, {"failure": refusal.code})
        return
    save_photo_files(processed)
    if not _finish(photo, key, PhotoStatus.READY,
                   {"width": processed.width, "height": processed.height}):
        delete_unused_photo_files({processed.digest})


def _finish(photo: ListingPhoto, key: str, status: PhotoStatus, values: dict) -> bool:
    """Move the photo on from processing, then drop its original; whether this run did it."""
    moved = workflow.claim(photo, PhotoStatus.PROCESSING.value, status.value,
                           table=PHOTO_TRANSITIONS, actor_id=None, actor_role="system",
                           object_type="listing_photo", also={**values, "original_key": None},
                           # The photo's own row says what happened; the listing's audit log
                           # is for people's decisions.
                           audit=False)
    if moved:
        db.session.commit()
    else:
        db.session.rollback()
    # Kept only until it is processed: an original may carry the seller's GPS position. A
    # failed one is dropped too: the seller uploads another file, never this one again.
    storage("private").delete(key)
    return moved


def queue_photos(photo_ids: list[int]) -> None:
    """Hand each photo to the job, after the commit that saved them. When the queue's Redis does
    not answer, the photos stay "processing" and requeue_processing() (a timed job) sends them on:
    the seller's upload is kept, not answered with an error."""
    for photo_id in photo_ids:
        try:
            jobs.enqueue(process_listing_photo, photo_id)
        except RedisError as error:
            log.warning("Photo job not queued (%s); the photo sweep will send it: %s",
                        type(error).__name__, error)
            return


def requeue_processing() -> int:
    """Queue every photo still processing again (a job lost, or the queue down at upload); a
    photo whose job is already on its way is processed once (the job's compare-and-set)."""
    photo_ids = list(db.session.scalars(select(ListingPhoto.id).where(
        ListingPhoto.status == PhotoStatus.PROCESSING.value).order_by(ListingPhoto.id)))
    db.session.rollback()  # ends the read; each job opens its own
    queue_photos(photo_ids)
    return len(photo_ids)
