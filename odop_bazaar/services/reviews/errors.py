"""What the reviews services refuse."""

from odop_bazaar.services.errors import DomainError


class NotReviewable(DomainError):
    """This order line cannot be reviewed (not delivered, returned, or reviewed already)."""


class AlreadyReplied(DomainError):
    """The seller has replied to this review already: a reply is written once."""


class AlreadyReported(DomainError):
    """This person has reported this review already."""
