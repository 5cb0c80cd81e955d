"""Forms for the cart, checkout and the actions on an order."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from odop_bazaar.forms import Form
from odop_bazaar.models.orders import PaymentMethod


class AddToCartForm(Form):
    """On the product page, which every visitor shares: no token (see same_origin.py)."""

    class Meta:
        csrf = False

    quantity = StringField(_l("Quantity"), default="1")


class QuantityForm(Form):
    quantity = StringField(_l("Quantity"))


class EmptyForm(Form):
    """A button that changes something: only the CSRF token."""


class CheckoutForm(Form):
    """Where to deliver and how to pay. Prices never come from here: only a fingerprint of the
    summary the buyer saw, so a change since then is noticed."""

    name = StringField(_l("Name of the person receiving it"))
    phone = StringField(_l("Mobile number"))
    line1 = StringField(_l("House, street or village"))
    line2 = StringField(_l("Area or landmark (optional)"))
    city = StringField(_l("Town or city"))
    state = SelectField(_l("State"), validate_choice=False)
    pin = StringField(_l("PIN code"))
    payment_method = RadioField(_l("How will you pay?"), validate_choice=False, choices=[
        SelectChoice(PaymentMethod.CASH_ON_DELIVERY.value, PaymentMethod.CASH_ON_DELIVERY.label),
        SelectChoice(PaymentMethod.CARD.value, PaymentMethod.CARD.label)],
        default=PaymentMethod.CASH_ON_DELIVERY.value)
    fingerprint = HiddenField()

    ADDRESS_FIELDS = ("name", "phone", "line1", "line2", "city", "state", "pin")

    def address(self) -> dict:
        """The delivery address as typed, for the service to check."""
        return {name: self[name].data for name in self.ADDRESS_FIELDS}


class CancelForm(Form):
    reason = TextAreaField(_l("Reason"))


class ShipForm(Form):
    """The seller's next step; `step` is the status the button moves to."""

    step = HiddenField()
    carrier = StringField(_l("Courier or postal service"))
    tracking = StringField(_l("Tracking number"))
