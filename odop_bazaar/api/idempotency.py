"""`Idempotency-Key` on the API's create requests: on a flaky network a phone may send the same
request twice; the second gets the first's answer instead of making a second listing.

The key is the token's own (two people may choose the same key). The first request inserts
the key's row and commits before any work, so a copy arriving meanwhile meets the unique
constraint and is told to wait (409). A successful answer is stored with the key and replayed
for 24 hours to a request with the same method, path and body; the same key with a different
request is refused (422). A refused or failed request forgets the key, so it can be corrected
and sent again. A row left without an answer (the process died mid-request) is given up after
IN_PROGRESS_TIMEOUT.
"""

import hashlib
import json
from copy import deepcopy
from datetime import timedelta
from functools import wraps

from flask import current_app, g, make_response, request
from flask_babel import lazy_gettext as _l
from flask_smorest.utils import deepupdate
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from odop_bazaar.api.problems import ApiProblem
from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.api_access import IdempotentRequest

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(hours=24)
IN_PROGRESS_TIMEOUT = timedelta(minutes=5)
MAX_KEY_LENGTH = 255

HEADER_DOC = {
    "in": "header", "name": HEADER, "required": False,
    "description": "A unique value (a UUID) per create; a retry with the same key and body "
                   "gets the first answer instead of creating twice. Kept 24 hours.",
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH, "minLength": 1},
}


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path):
        digest.update(part.encode() + b"\0")
    if request.mimetype == "multipart/form-data":
        digest.update(_parts_fingerprint().encode())
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _parts_fingerprint() -> str:
    """A multipart body by its parts: each send of the same photos picks a new boundary
    between them, so the raw bytes of a retry differ from the first try's."""
    parts = [["field", name, value] for name, value in request.form.items(multi=True)]
    for name, upload in request.files.items(multi=True):
        data = upload.stream.read()
        upload.stream.seek(0)  # the view reads it again
        parts.append(["file", name, upload.filename or "", hashlib.sha256(data).hexdigest()])
    return json.dumps(sorted(parts, key=lambda part: part[:2]))


def _claim(token_id: int, key: str, fingerprint: str):
    """The stored answer to replay, or None once this request holds the key."""
    row = db.session.scalar(select(IdempotentRequest).where(
        IdempotentRequest.token_id == token_id, IdempotentRequest.key == key))
    now = utcnow()
    if row is not None and (now - row.created_at >= KEPT_FOR or (
            row.status_code is None and now - row.created_at >= IN_PROGRESS_TIMEOUT)):
        db.session.delete(row)
        db.session.commit()
        row = None
    if row is not None:
        if row.fingerprint != fingerprint:
            raise ApiProblem(422, _l("This Idempotency-Key was used for a different request. "
                                     "Use a new key for a new request."))
        if row.status_code is None:
            raise ApiProblem(409, _l("A request with this Idempotency-Key is still being "
                                     "handled. Wait a moment and send it again."))
        return row
    db.session.add(IdempotentRequest(token_id=token_id, key=key, fingerprint=fingerprint))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ApiProblem(409, _l("A request with this Idempotency-Key is still being handled. "
                                 "Wait a moment and send it again.")) from None
    return None


def _settle(token_id: int, key: str, response) -> None:
    db.session.rollback()  # whatever the view left unfinished is not ours to commit
    row = db.session.scalar(select(IdempotentRequest).where(
        IdempotentRequest.token_id == token_id, IdempotentRequest.key == key))
    if row is None:
        return
    if response is not None and 200 <= response.status_code < 300:
        row.status_code = response.status_code
        row.response_body = response.get_data(as_text=True)
        row.location = response.headers.get("Location")
    else:
        db.session.delete(row)
    db.session.commit()


def _replay(row: IdempotentRequest):
    response = current_app.response_class(row.response_body, status=row.status_code,
                                          mimetype="application/json")
    if row.location:
        response.headers["Location"] = row.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(view):
    """Let a create view be retried safely with an Idempotency-Key (under token_required)."""
    @wraps(view)
    def once(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not key.strip() or len(key) > MAX_KEY_LENGTH:
            raise ApiProblem(400, _l("An Idempotency-Key has 1 to %(n)d characters.",
                                     n=MAX_KEY_LENGTH))
        token_id = g.api_token.id
        stored = _claim(token_id, key, _fingerprint())
        if stored is not None:
            return _replay(stored)
        response = None
        try:
            response = make_response(view(*args, **kwargs))
            return response
        finally:
            _settle(token_id, key, response)

    once._apidoc = deepcopy(getattr(view, "_apidoc", {}))
    once._apidoc["manual_doc"] = deepupdate(deepcopy(once._apidoc.get("manual_doc", {})),
                                            {"parameters": [HEADER_DOC]})
    return once


def forget_old_keys() -> int:
    """Delete keys older than KEPT_FOR (a timed job); returns how many."""
    deleted = db.session.execute(delete(IdempotentRequest).where(
        IdempotentRequest.created_at < utcnow() - KEPT_FOR)).rowcount
    db.session.commit()
    return deleted
