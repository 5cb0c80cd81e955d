"""Which version of each shop topic this worker knows: what cached buyer pages are keyed on.

A cached page's key names the version of the topic it shows (page_cache.key; the topics are in
models/shop.py: a product page shows `listing:<id>`, a district page `district:<code>` ...). A
topic's version is the id of the last change-log row (ShopChange) naming it that this worker has
read or, for a topic that has not changed since the worker started, the worker's baseline: the
last id in the log when it started. So a version is never older than the topic's last change
the worker knows of, and a part cached under it was rendered after that change was committed
(ids become visible in order: services/catalogue/shop_changes.py). Workers started at different
times may key one page differently and each build it once; none serves, from a shared cache, a
part rendered before a change it knows about.

The log is read at most every SHOP_CHANGES_POLL_SECONDS per worker, with one indexed query
(`id > last seen`); a change made through this worker is read on its next request.

Searches are keyed on the version of `search` as it was at most SEARCH_STALE_SECONDS ago:
nearly every change can alter some search, and one change a second would otherwise rebuild
every cached search every second, so a search may be those few seconds behind (a product,
district or home page never is).

The log keeps SHOP_CHANGES_KEEP_SECONDS (a day); a worker that has not read it for half that
starts again from its end with no versions, since rows it has not read may have been pruned.
"""

import time
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models.shop import ShopChange, Topic

_KNOWN = "page_versions"
# Past this many topics a worker starts again from the log's end rather than grow (a day of a
# busy shop could name every listing).
MAX_TOPICS = 100_000
clock = time.monotonic  # tests move it on


@dataclass
class _Known:
    baseline: int
    last_id: int
    read_at: float
    versions: dict[str, int] = field(default_factory=dict)
    due: bool = False  # this worker changed the shop: read the log at the next request
    search: tuple[float, int] | None = None  # (when, version) of the searches' key


def version(topic: str) -> int:
    """The version of this topic that a cache key for a page showing it names now."""
    known = _known()
    if topic != Topic.SEARCH:
        return known.versions.get(topic, known.baseline)
    now = clock()
    if known.search is None or now - known.search[0] >= current_app.config[
            "SEARCH_STALE_SECONDS"]:
        known.search = (now, known.versions.get(topic, known.baseline))
    return known.search[1]


def forget() -> None:
    """This worker just changed the shop: read the log again on the next request."""
    known = current_app.extensions.get(_KNOWN) if current_app else None
    if known is not None:
        known.due = True
        known.search = None


def _known() -> _Known:
    app, now = current_app, clock()
    known = app.extensions.get(_KNOWN)
    if (known is None or len(known.versions) > MAX_TOPICS
            or now - known.read_at > app.config["SHOP_CHANGES_KEEP_SECONDS"] / 2):
        last = db.session.scalar(select(func.max(ShopChange.id))) or 0
        known = app.extensions[_KNOWN] = _Known(baseline=last, last_id=last, read_at=now)
    elif known.due or now - known.read_at >= app.config["SHOP_CHANGES_POLL_SECONDS"]:
        _read(known, now)
    return known


def _read(known: _Known, now: float) -> None:
    rows = db.session.execute(select(ShopChange.id, ShopChange.topics)
                              .where(ShopChange.id > known.last_id).order_by(ShopChange.id))
    for change_id, topics in rows:
        for topic in topics.split():
            if topic == Topic.EVERYTHING:
                known.baseline = change_id
                known.versions.clear()
            else:
                known.versions[topic] = change_id
        known.last_id = change_id
    known.read_at, known.due = now, False
