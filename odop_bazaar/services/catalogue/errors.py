"""What the listing services refuse with: every catalogue refusal a view may have to show."""

from odop_bazaar.services.errors import AlreadyChanged, DomainError, InvalidTransition


class ListingError(DomainError):
    """A listing action refused; str() is a message for the person."""


class NotYourListing(ListingError):
    """The listing is another seller's (or does not exist): views answer 404."""


class NotAllowed(ListingError, InvalidTransition):
    """The listing, or its seller, is not in a state that allows this (the API answers 409, as
    for a status change the workflow's table refuses)."""


class ResubmittedMeanwhile(ListingError, AlreadyChanged):
    """The seller sent a new version after staff opened the one they decided on."""
