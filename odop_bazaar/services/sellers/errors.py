"""The refusals of seller onboarding and review; str() of each is a message for the person."""

from flask_babel import lazy_gettext as _l

from odop_bazaar.services.errors import (
    AlreadyChanged,
    DomainError,
    FieldErrors,
    InvalidTransition,
)


class OnboardingError(DomainError):
    """A refused onboarding action; str() is a message for the person."""


class NotUnderReview(OnboardingError, InvalidTransition):
    """A staff decision on an application that is not (or no longer) waiting for review."""


class DecidedMeanwhile(OnboardingError, AlreadyChanged):
    """Another reviewer decided the same thing a moment before."""


class NotEditable(OnboardingError):
    """The application is with staff or decided, so the seller cannot change it now."""


class IncompleteApplication(OnboardingError):
    """Submitted with sections still due; `due` says which and why."""

    def __init__(self, due: list):
        super().__init__(_l("Some sections still need your attention."))
        self.due = due


class EmailNotConfirmed(OnboardingError):
    """The seller has not followed the link we emailed: staff would approve an address that
    may not be theirs, and orders and payouts are told there."""

    def __init__(self):
        super().__init__(_l("Confirm your email address first: follow the link we emailed you "
                            "(or ask for a new one below), then submit your application."))


class DocumentNotFound(OnboardingError):
    """No such document, or not this person's to see."""


class SectionRefused(FieldErrors):
    """A section's answers or files refused; nothing was saved, but the files that passed their
    own check are kept for the next try: `kept`, by document kind (services/sellers/kept.py)."""

    def __init__(self, errors: dict, kept: dict):
        super().__init__(errors)
        self.kept = kept
