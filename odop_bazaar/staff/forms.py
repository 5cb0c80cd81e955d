"""Forms of the staff console: review decisions, filters, accounts, reference lists and settlements."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from odop_bazaar.forms import Form
from odop_bazaar.models.accounts import Role
from odop_bazaar.models.catalogue import ReasonCode
from odop_bazaar.models.reference import SECTORS
from odop_bazaar.models.sellers import SellerType


class SellerQueueFilterForm(Form):
    """Filters for the review queue: a GET form, so a filtered queue can be bookmarked."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), coerce=str, validate_choice=False)
    district = SelectField(_l("District"), coerce=str, validate_choice=False)
    seller_type = SelectField(_l("Seller type"), validate_choice=False, choices=[
        SelectChoice("", _l("Any type"))] + [SelectChoice(t.value, t.label) for t in SellerType])
    sector = SelectField(_l("Sector"), validate_choice=False, choices=[
        SelectChoice("", _l("Any sector"))] + [SelectChoice(s.value, s.label) for s in SECTORS])
    # The keys of services.sellers.SELLER_LISTS; the review queue unless another is chosen.
    status = SelectField(_l("Status"), validate_choice=False, default="waiting", choices=[
        SelectChoice("waiting", _l("Waiting for review")),
        SelectChoice("approved", _l("Approved")),
        SelectChoice("changes_requested", _l("Changes requested")),
        SelectChoice("suspended", _l("Suspended")),
        SelectChoice("draft", _l("Not yet submitted")),
        SelectChoice("all", _l("All sellers"))])
    apply = SubmitField(_l("Filter"))


class SectionDecisionForm(Form):
    note = TextAreaField(_l("Reason (needed when asking for changes)"),
                         validators=[Length(max=2000)])
    verify = SubmitField(_l("Verified"))
    needs_changes = SubmitField(_l("Needs changes"))


class SellerDecisionForm(Form):
    note = TextAreaField(_l("Note to the seller (optional)"), validators=[Length(max=2000)])
    approve = SubmitField(_l("Approve seller"))
    request_changes = SubmitField(_l("Send back for changes"))


class SuspensionForm(Form):
    note = TextAreaField(_l("Reason"), validators=[Length(max=2000)])
    suspend = SubmitField(_l("Suspend seller"))
    reinstate = SubmitField(_l("Reinstate seller"))


class ListingQueueFilterForm(Form):
    class Meta:
        csrf = False

    state = SelectField(_l("State"), coerce=str, validate_choice=False)
    district = SelectField(_l("District"), coerce=str, validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False, choices=[
        SelectChoice("", _l("Any sector"))] + [SelectChoice(s.value, s.label) for s in SECTORS])
    seller = StringField(_l("Seller number"), validators=[Length(max=10)])
    # The keys of services.catalogue.queries.LISTING_LISTS; the review queue unless another is chosen.
    status = SelectField(_l("Status"), validate_choice=False, default="waiting", choices=[
        SelectChoice("waiting", _l("Waiting for review")),
        SelectChoice("live", _l("Live")),
        SelectChoice("changes_requested", _l("Changes requested")),
        SelectChoice("unpublished", _l("Unpublished by the seller")),
        SelectChoice("removed", _l("Removed by staff")),
        SelectChoice("draft", _l("Draft (not sent for review)")),
        SelectChoice("all", _l("All listings"))])


class ListingDecisionForm(Form):
    reasons = SelectMultipleField(_l("Reasons"), validate_choice=False, choices=[
        SelectChoice(r.value, r.label) for r in ReasonCode], widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput())
    note = TextAreaField(_l("Note to the seller"), validators=[Length(max=2000)])
    submission = HiddenField()  # which submission staff looked at
    approve = SubmitField(_l("Approve"))
    request_changes = SubmitField(_l("Ask for changes"))
    remove = SubmitField(_l("Remove from the shop"))


class DeliverySettingsForm(Form):
    charge = StringField(_l("Delivery charge per seller order (₹)"))
    free_from = StringField(_l("Free delivery when a seller order reaches (₹; 0 for never)"))
    commission = StringField(_l("Commission on each delivered order (%)"))


class ReferenceUploadForm(Form):
    list_file = FileField(_l("The ODOP list (CSV file)"), validators=[
        FileRequired(_l("Choose the CSV file of the ODOP list."))])
    upload = SubmitField(_l("Upload and check"))


class ReferenceApplyForm(Form):
    sha256 = HiddenField()
    allow_mass_retire = BooleanField()  # its label names how many products it retires
    apply = SubmitField(_l("Apply this list"))


# --- Accounts (/staff/users) ------------------------------------------------------------------

class UserFilterForm(Form):
    class Meta:
        csrf = False

    role = SelectField(_l("Role"), validate_choice=False, choices=[
        SelectChoice("", _l("Any role"))] + [SelectChoice(r.value, r.label) for r in Role])
    q = StringField(_l("Name or email contains"), validators=[Length(max=120)])
    suspended = BooleanField(_l("Suspended accounts only"))


class NewStaffForm(Form):
    full_name = StringField(_l("Full name"), validators=[InputRequired(_l("Enter the person's "
                                                                        "name.")),
                                                         Length(max=120)])
    email = StringField(_l("Email address"), validators=[InputRequired(_l("Enter an email "
                                                                        "address.")),
                                                       Length(max=254)])
    role = RadioField(_l("Role"), default=Role.STAFF.value, choices=[
        SelectChoice(Role.STAFF.value, _l("Staff reviewer: reviews sellers, listings and orders "
                                          "in the places you give them")),
        SelectChoice(Role.ADMIN.value, _l("Administrator: everything, including accounts and "
                                          "settings"))])
    all_india = BooleanField(_l("Works on all of India (otherwise add their states or "
                                "districts on the next page)"))


class AccountStatusForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])
    suspend = SubmitField(_l("Suspend account"))
    reinstate = SubmitField(_l("Reinstate account"))


class RoleForm(Form):
    role = HiddenField()


class AllIndiaForm(Form):
    all_india = BooleanField(_l("Works on all of India"))


class AddPlaceForm(Form):
    state = SelectField(_l("State or UT"), coerce=str, validate_choice=False)
    district = SelectField(_l("District"), coerce=str, validate_choice=False)


class RemovePlaceForm(Form):
    pass


# --- Settlements -----------------------------------------------------------------------------

class PayoutForm(Form):
    amount = StringField(_l("Amount paid (₹)"), validators=[Length(max=20)])
    paid_on = DateField(_l("Date the bank sent it"),
                        validators=[InputRequired(_l("Enter the date, like 2026-11-20."))])
    bank_reference = StringField(_l("Bank reference (UTR)"), validators=[Length(max=60)])
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=500)])


class CorrectionForm(Form):
    amount = StringField(_l("Amount (₹): plus adds to what the seller is owed, minus takes away"),
                         validators=[Length(max=20)])
    corrects = StringField(_l("Entry number it corrects (optional)"), validators=[Length(max=10)])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])


class PostCreditsForm(Form):
    pass


class RefundPaidForm(Form):
    paid_on = DateField(_l("Date the bank sent it"),
                        validators=[InputRequired(_l("Enter the date, like 2026-11-20."))])
    reference = StringField(_l("Bank reference (UTR)"), validators=[Length(max=60)])


# --- Audit log (/staff/audit) -----------------------------------------------------------------

class AuditFilterForm(Form):
    """Filters for the audit log: a GET form, so a filtered log can be bookmarked and shared.

    services.reporting.audit_log.make_filters checks what was typed (its messages go beside the fields).
    """

    class Meta:
        csrf = False

    actor = StringField(_l("Who"))
    object_type = SelectField(_l("Kind of object"), validate_choice=False)
    object_id = StringField(_l("Object number"))
    action = StringField(_l("Action"))
    # Text, not <input type="date">: a browser empties a date field it cannot read, and the
    # person's input must come back beside the message.
    date_from = StringField(_l("From (date, IST)"))
    date_to = StringField(_l("To (date, IST)"))


class RetryMailForm(Form):
    """Put a failed email back in line (the button carries only the CSRF token)."""
