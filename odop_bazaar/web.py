"""Small helpers shared by the views: the status of a form that comes back, safe mail sending."""

import logging

from flask import flash
from flask_babel import gettext as _

INVALID = 422  # a form that comes back with errors, showing what the person typed
log = logging.getLogger(__name__)


def send_or_warn(send, *args) -> bool:
    """Send an email; if the mail server fails, log it and tell the person instead of failing.

    The action the email is about has already been saved, so an error page would be wrong.
    """
    try:
        send(*args)
    except OSError:
        log.exception("Could not send mail (%s)", send.__name__)
        flash(_("We could not send the email just now. The change itself is saved."), "error")
        return False
    return True
