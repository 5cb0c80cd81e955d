"""Staff downloads written to the audit log: who took which list, with which filters.

The rows of a download are read by services/reporting (which never writes); the note that it
was taken is written here, because a spreadsheet leaves the system with personal data in it.
"""

from urllib.parse import urlencode

from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.services.workflow import record


def record_export(actor: User, kind: str, filters: dict) -> None:
    """Note in the audit log who downloaded which list, with which filters. Commits."""
    note = urlencode(sorted((name, value) for name, value in filters.items()
                            if value not in (None, "")))
    record(actor_id=actor.id, object_type="export", object_id=0, action=f"export:{kind}",
           note=note)
    db.session.commit()
