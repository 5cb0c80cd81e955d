"""Forms of returns: the buyer's return form (one quantity box per line of the order), and the
seller's and staff's answers."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from odop_bazaar.forms import Form
from odop_bazaar.models.returns import Resolution


class ReturnForm(Form):
    """What is coming back and why; return_form_for() adds a quantity box per order line."""

    reason = RadioField(_l("Why are you returning it?"), validate_choice=False)
    resolution = RadioField(_l("What would you like?"), validate_choice=False, choices=[
        SelectChoice(r.value, r.label) for r in Resolution], default=Resolution.REFUND.value)
    details = TextAreaField(_l("Tell the seller more (optional)"))
    photos = MultipleFileField(_l("Photos (needed for damage; up to 3)"))
    payee_name = StringField(_l("Account holder's name"))
    account_number = StringField(_l("Bank account number"))
    ifsc = StringField(_l("IFSC"))
    upi_id = StringField(_l("Or a UPI id"))

    def quantity_fields(self):
        """The quantity box of each order line, in the order's order."""
        return [field for name, field in self._fields.items() if name.startswith("qty_")]

    def quantities(self) -> dict[int, int]:
        """Order line id -> units typed (blank or not a number counts as 0)."""
        found = {}
        for field in self.quantity_fields():
            text = (field.data or "").strip()
            found[int(field.name[4:])] = int(text) if text.isdigit() else 0
        return found

    def photo_bytes(self) -> list[bytes]:
        return [f.read() for f in (self.photos.data or []) if f and f.filename]


def return_form_for(order, reasons, **kwargs) -> ReturnForm:
    """The return form for this order: a quantity box per line, and its reasons."""

    class OrderReturnForm(ReturnForm):
        pass

    for item in order.items:
        setattr(OrderReturnForm, f"qty_{item.id}", StringField(
            _l("How many “%(title)s” (of %(num)d)", title=item.title, num=item.quantity),
            default="0"))
    form = OrderReturnForm(**kwargs)
    form.reason.choices = [SelectChoice(r.value, r.label) for r in reasons]
    return form


class AcceptReturnForm(Form):
    buyer_sends = BooleanField(_l("The buyer sends it back (no pickup)"))
    carrier = StringField(_l("Pickup courier"))
    tracking = StringField(_l("Pickup tracking number"))


class RefuseReturnForm(Form):
    reason = TextAreaField(_l("Why are you refusing it?"))


class ReceivedForm(Form):
    restock = BooleanField(_l("Put the units back on sale"))


class ExchangeShipForm(Form):
    carrier = StringField(_l("Courier or postal service"))
    tracking = StringField(_l("Tracking number"))


class StaffReturnDecisionForm(Form):
    decision = HiddenField()  # "uphold" (the return goes ahead) or "refuse"
    note = TextAreaField(_l("Reasons for the decision"))


class ReturnPolicyForm(Form):
    """The seller's own return policy beyond what the law requires."""

    accepts_change_of_mind = BooleanField(
        _l("Also take back goods a buyer has changed their mind about (unused, in the return "
           "window)"))
