"""Who may see what: role decorators and safe redirects."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user, login_required

from odop_bazaar.models.accounts import Role


def role_required(*roles: Role):
    """Allow only signed-in users holding one of the roles (admins count as staff).

    Anonymous visitors go to the login page; anyone else without the role gets 403.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


buyer_required = role_required(Role.BUYER)
seller_required = role_required(Role.SELLER)
staff_required = role_required(Role.STAFF)
admin_required = role_required(Role.ADMIN)


def safe_next_url(target: str | None) -> str | None:
    """The target if it is a path on this site ('/orders'), else None.

    Refuses absolute URLs, scheme-relative '//host', backslash tricks and control characters.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
