"""What the order services refuse with; str() of each is a message for the person."""

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from odop_bazaar.services.errors import DomainError

if TYPE_CHECKING:
    from odop_bazaar.models.orders import Checkout


class CartError(DomainError):
    """The cart cannot take that (not on sale, more than is left, malformed quantity)."""


class CartChanged(DomainError):
    """Prices or availability changed since the summary was shown; nothing was ordered."""


class EmptyCart(DomainError):
    """There is nothing in the cart to order."""


class AlreadyPlaced(DomainError):
    """This summary was turned into an order already (the button was pressed again)."""

    def __init__(self, checkout: "Checkout"):
        super().__init__(_l("Your order is placed. The button was pressed more than once; "
                            "the order was placed only once."))
        self.checkout = checkout


class StillPlacing(DomainError):
    """A repeat gave up waiting for the first press's order to be written."""


class OutOfStock(DomainError):
    """Someone else bought the last units first; nothing was ordered."""


class PaymentUnavailable(DomainError):
    """The card payment could not be set up (Stripe unreachable); nothing was ordered."""


class PaymentMismatch(DomainError):
    """The provider's payment does not match the checkout (amount or currency)."""


class UnknownPayment(DomainError):
    """A payment for no checkout of ours."""


class NotYourOrder(DomainError):
    """The order is another seller's (or buyer's)."""


class RefundRefused(DomainError):
    """This refund cannot be made: the order was not paid that way, or not paid yet."""
