from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from odop_bazaar.models.catalogue import ReasonCode
from odop_bazaar.models.reference import SECTORS
from odop_bazaar.models.sellers import SellerType


class SellerQueueFilterForm(FlaskForm):
    """Filters for the review queue: a GET form, so a filtered queue can be bookmarked."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), coerce=str, validate_choice=False)
    district = SelectField(_l("District"), coerce=str, validate_choice=False)
    seller_type = SelectField(_l("Seller type"), validate_choice=False, choices=[
        SelectChoice("", _l("Any type"))] + [SelectChoice(t.value, t.label) for t in SellerType])
    sector = SelectField(_l("Sector"), validate_choice=False, choices=[
        SelectChoice("", _l("Any sector"))] + [SelectChoice(s.value, s.label) for s in SECTORS])
    apply = SubmitField(_l("Filter"))


class SectionDecisionForm(FlaskForm):
    note = TextAreaField(_l("Reason (needed when asking for changes)"),
                         validators=[Length(max=2000)])
    verify = SubmitField(_l("Verified"))
    needs_changes = SubmitField(_l("Needs changes"))


class SellerDecisionForm(FlaskForm):
    note = TextAreaField(_l("Note to the seller (optional)"), validators=[Length(max=2000)])
    approve = SubmitField(_l("Approve seller"))
    request_changes = SubmitField(_l("Send back for changes"))


class SuspensionForm(FlaskForm):
    note = TextAreaField(_l("Reason"), validators=[Length(max=2000)])
    suspend = SubmitField(_l("Suspend seller"))
    reinstate = SubmitField(_l("Reinstate seller"))


class ListingQueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    state = SelectField(_l("State"), coerce=str, validate_choice=False)
    district = SelectField(_l("District"), coerce=str, validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False, choices=[
        SelectChoice("", _l("Any sector"))] + [SelectChoice(s.value, s.label) for s in SECTORS])
    seller = StringField(_l("Seller number"), validators=[Length(max=10)])


class ListingDecisionForm(FlaskForm):
    reasons = SelectMultipleField(_l("Reasons"), validate_choice=False, choices=[
        SelectChoice(r.value, r.label) for r in ReasonCode], widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput())
    note = TextAreaField(_l("Note to the seller"), validators=[Length(max=2000)])
    submission = HiddenField()  # which submission staff looked at
    approve = SubmitField(_l("Approve"))
    request_changes = SubmitField(_l("Ask for changes"))
    remove = SubmitField(_l("Remove from the shop"))


class DeliverySettingsForm(FlaskForm):
    charge = StringField(_l("Delivery charge per seller order (₹)"))
    free_from = StringField(_l("Free delivery when a seller order reaches (₹; 0 for never)"))
