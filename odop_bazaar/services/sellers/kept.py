"""Documents kept across a refused section, so that the seller does not choose them again.

A browser cannot send a chosen file back. So when a section is refused, each document that
passed its own check (and was cleaned: services/sellers/documents.py) is kept in private storage
under a random key, and the page carries a signed token for it beside its field. The next
submission of that section uses the kept file when no new one is chosen.

No table is needed: the file is in storage, and the rest is in the token, signed with the
SECRET_KEY, which says whose file it is, for which section and kind, and when it was kept.
Another person's token, one for another section or kind, an altered one, or one older than
KEPT_UPLOAD_MAX_AGE is refused; `forget_old` deletes the files nobody came back for. The token
is only ever in the seller's own page: it names the file, which may be personal.
"""

import hashlib
import re
import secrets
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from odop_bazaar.models.checklist import DocumentKind, SectionKey
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.sellers.documents import CleanDocument
from odop_bazaar.services.sellers.sections import SPEC
from odop_bazaar.storage import storage

FOLDER = "kept-uploads"
_SALT = "kept-upload"
_GONE = _l("The file we kept for you is no longer there. Choose it again.")


@dataclass(frozen=True)
class KeptFile:
    """A document kept for the next try: what the page says of it, and the token it sends back."""

    kind: DocumentKind
    filename: str
    size: int
    token: str


@dataclass(frozen=True)
class Redeemed:
    """A kept document taken back from its token, ready to be stored as the seller's."""

    kept: KeptFile
    clean: CleanDocument
    storage_key: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def shown_name(filename: str) -> str:
    """The file's name as the page shows it: no folders, not too long, and no long number
    (a file named after its Aadhaar number keeps only the last four digits)."""
    name = re.split(r"[\\/]", filename or "")[-1].strip()
    name = re.sub(r"\d(?:[ -]?\d){7,}",
                  lambda match: "X" * 4 + re.sub(r"\D", "", match.group())[-4:], name)
    return name[-80:] or "document"


def keep(seller: Seller, key: SectionKey, kind: DocumentKind, filename: str,
         clean: CleanDocument) -> KeptFile:
    """Store a checked document privately for the seller's next try at the section."""
    storage_key = f"{FOLDER}/{int(time.time())}-{secrets.token_hex(16)}"
    storage("private").save(storage_key, clean.data)
    name = shown_name(filename)
    token = _serializer().dumps({
        "user": seller.user_id, "section": key.value, "kind": kind.value, "key": storage_key,
        "name": name, "type": clean.content_type, "sha256": clean.sha256})
    return KeptFile(kind, name, len(clean.data), token)


def redeem(seller: Seller, key: SectionKey, kind: DocumentKind, token: str) -> Redeemed | None:
    """The kept document a token names, if it is this seller's, for this section and kind,
    recent enough, and still stored unchanged; otherwise None."""
    try:
        claim = _serializer().loads(token, max_age=current_app.config["KEPT_UPLOAD_MAX_AGE"])
    except BadSignature:  # altered, or too old (SignatureExpired is one)
        return None
    if not isinstance(claim, dict) or (claim.get("user"), claim.get("section"),
                                       claim.get("kind")) != (seller.user_id, key.value,
                                                              kind.value):
        return None
    try:
        data = storage("private").read(claim["key"])
    except (FileNotFoundError, OSError, KeyError):
        return None
    if hashlib.sha256(data).hexdigest() != claim["sha256"]:
        return None
    kept = KeptFile(kind, claim["name"], len(data), token)
    return Redeemed(kept, CleanDocument(data, claim["type"], claim["sha256"]), claim["key"])


def redeem_all(seller: Seller, key: SectionKey,
               tokens: dict[str, str]) -> tuple[dict[DocumentKind, Redeemed], dict[str, object]]:
    """Each token of the section's kinds taken back; the refusals by field, for tokens that
    are not (or no longer) good."""
    redeemed, errors = {}, {}
    for kind in SPEC[key].documents:
        token = tokens.get(kind.value)
        if token:
            found = redeem(seller, key, kind, token)
            if found is None:
                errors[kind.value] = _GONE
            else:
                redeemed[kind] = found
    return redeemed, errors


def discard(storage_keys) -> None:
    """Delete kept files that are used or replaced."""
    store = storage("private")
    for storage_key in storage_keys:
        store.delete(storage_key)


def forget_old(now: float | None = None) -> int:
    """Delete the kept files older than KEPT_UPLOAD_MAX_AGE (their tokens no longer work);
    how many were deleted."""
    cutoff = (now or time.time()) - current_app.config["KEPT_UPLOAD_MAX_AGE"]
    store, deleted = storage("private"), 0
    for storage_key in list(store.keys(prefix=FOLDER + "/")):
        stamp = storage_key.removeprefix(FOLDER + "/").split("-", 1)[0]
        if not stamp.isdigit() or int(stamp) < cutoff:
            store.delete(storage_key)
            deleted += 1
    return deleted
