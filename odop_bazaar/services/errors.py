"""Errors that services raise and views turn into messages or 4xx answers."""

from typing import Any

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A refused action; str() is a message for the person."""


class InvalidTransition(DomainError):
    """The object cannot move to that status from where it is, or not by this actor."""


class AlreadyChanged(InvalidTransition):
    """Someone else changed the status first (two reviewers, two tabs, a double click)."""


class FieldErrors(DomainError):
    """Answers that break a rule, by field name; nothing was saved."""

    def __init__(self, errors: dict[str, Any]):
        super().__init__(_l("Some answers need correcting."))
        self.errors = errors

    def attach_to(self, form) -> None:
        """Show each message beside its field (or at the top of the form)."""
        for name, message in self.errors.items():
            field = form._fields.get(name)
            (field.errors if field is not None else form.form_errors).append(str(message))

    def messages(self) -> list[str]:
        """Every message, for a page that has no form to show them beside."""
        return [str(message) for message in self.errors.values()]
