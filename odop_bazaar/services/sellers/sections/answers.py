"""Small helpers the sections share to read typed answers: trimmed text, checked identifiers."""

from typing import Any

from odop_bazaar.identifiers import InvalidIdentifier
from odop_bazaar.services.accounts.users import AccountError
from odop_bazaar.services.errors import FieldErrors


def text(data: dict, name: str, limit: int) -> str | None:
    value = (data.get(name) or "").strip()
    return value[:limit] or None


def checked(data: dict, name: str, errors: dict[str, Any], check, *args, **kwargs):
    """An identifier answer checked by `check`; blank stays None, a refusal goes to errors."""
    if not data.get(name):
        return None
    try:
        return check(data[name], *args, **kwargs)
    except (InvalidIdentifier, AccountError) as error:
        errors[name] = error
        return None


def raise_if(errors: dict[str, Any]) -> None:
    if errors:
        raise FieldErrors(errors)
