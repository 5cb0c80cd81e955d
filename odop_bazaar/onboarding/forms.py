"""One form per checklist section. Fields are optional here: a section may be saved half-done,
and the rules for each answer live in the section's module of services/sellers/sections, which
the view asks. Each section's form names its section (`section = SectionKey...`)."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from odop_bazaar.forms import Form, MultiCheckboxField
from odop_bazaar.hardening import MAX_ID
from odop_bazaar.localized import localized
from odop_bazaar.models.checklist import SectionKey
from odop_bazaar.models.sellers import GstExemption, GstMode, Seller, SellerType
from odop_bazaar.services.reference import places


class KeptToken(HiddenField):
    """Beside a file field: the token of the document kept from the seller's last try
    (services/sellers/kept.py), used when no new file is chosen. Named `<file field>_kept`."""

    def __init__(self, **kwargs):
        super().__init__(validators=[Length(max=2000)], **kwargs)


class SectionForm(Form):
    """The form of one checklist section; subclasses set `section` to the key they answer."""

    section: SectionKey
    save_continue = SubmitField(_l("Save and continue"))
    save_later = SubmitField(_l("Save and come back later"))

    @classmethod
    def of(cls, key: SectionKey) -> type["SectionForm"]:
        """The form class of a section.

        Raises:
            LookupError: no form answers that section.
        """
        for form_class in cls.__subclasses__():
            if form_class.section == key:
                return form_class
        raise LookupError(f"No SectionForm has section = {key!r}")

    @classmethod
    def for_seller(cls, seller: Seller, *, posted: bool) -> "SectionForm":
        """The form as posted, or else filled with what the seller saved; choices filled in."""
        form = cls() if posted else cls(obj=seller)
        if not posted:
            form.show_saved(seller)
        form.fill_choices()
        return form

    def show_saved(self, seller: Seller) -> None:
        """Fill what `obj=seller` cannot (a form shown again after saving)."""

    def fill_choices(self) -> None:
        """Fill choices that depend on other answers."""

    def wants_refresh(self) -> bool:
        """Whether the person asked to redraw the form (new choices), not to save it."""
        return False

    def answers(self) -> dict:
        """The typed answers, without buttons, files and the CSRF token."""
        skip = {"csrf_token", "save_continue", "save_later", "refresh"}
        return {name: field.data for name, field in self._fields.items()
                if name not in skip and not isinstance(field, (FileField, KeptToken))}

    def file_fields(self) -> list[FileField]:
        """The section's document fields."""
        return [field for field in self if isinstance(field, FileField)]

    def kept_tokens(self) -> dict[str, str]:
        """The tokens of kept documents sent back, by the name of their file field."""
        return {field.name.removesuffix("_kept"): field.data for field in self
                if isinstance(field, KeptToken) and field.data}


def _max(n):
    return Length(max=n, message=_l("Use at most %(n)d characters.", n=n))


def optional_int(value):
    """Coerce a choice to a database id, with an empty choice meaning none.

    Anything else (letters, other scripts' digits, numbers too large for the database) is a
    ValueError, which WTForms reports on the field.
    """
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    if not re.fullmatch(r"[0-9]{1,10}", str(value)) or int(value) > MAX_ID:
        raise ValueError("not a valid choice")
    return int(value)


class ProductsForm(SectionForm):
    section = SectionKey.PRODUCTS
    seller_type = RadioField(_l("What kind of seller are you?"), validators=[Optional()],
                             choices=[SelectChoice(t.value, t.label) for t in SellerType],
                             validate_choice=False)
    state_lgd_code = SelectField(_l("State or union territory"), coerce=optional_int,
                                 validators=[Optional()], validate_choice=False)
    district_lgd_code = SelectField(_l("District"), coerce=optional_int, validators=[Optional()],
                                    validate_choice=False)
    product_ids = MultiCheckboxField(_l("Products you make or grow"), coerce=optional_int,
                                     validators=[Optional()], validate_choice=False)
    refresh = SubmitField(_l("Show districts and products"))

    def show_saved(self, seller: Seller) -> None:
        self.product_ids.data = [p.id for p in seller.products]

    def fill_choices(self) -> None:
        """The district list follows the state, and the products the district (no JavaScript)."""
        self.state_lgd_code.choices = [SelectChoice("", _("Choose a state or UT"))] + [
            SelectChoice(code, name) for code, name in places.state_choices()]
        districts = places.district_choices(self.state_lgd_code.data)
        self.district_lgd_code.choices = [SelectChoice("", _("Choose a district"))] + [
            SelectChoice(code, name) for code, name in districts]
        district_code = self.district_lgd_code.data
        if district_code not in {code for code, _name in districts}:
            district_code = None
        self.product_ids.choices = [SelectChoice(p.id, localized(p))
                                    for p in places.live_products_of(district_code)]

    def wants_refresh(self) -> bool:
        return bool(self.refresh.data)


class BusinessForm(SectionForm):
    section = SectionKey.BUSINESS
    legal_name = StringField(_l("Legal name"), validators=[_max(200)])
    display_name = StringField(_l("Name shown to buyers"), validators=[_max(120)])
    year_started = IntegerField(_l("Year you started"), validators=[
        Optional(), NumberRange(min=1900, max=2100, message=_l("Enter a year like 1998."))])
    story = TextAreaField(_l("Your story"), validators=[_max(2000)])
    languages = StringField(_l("Languages you speak"), validators=[_max(200)])
    grievance_name = StringField(_l("Grievance officer: name"), validators=[_max(120)])
    grievance_phone = TelField(_l("Grievance officer: mobile number"), validators=[_max(20)])
    grievance_email = EmailField(_l("Grievance officer: email address"), validators=[_max(254)])


class PanForm(SectionForm):
    section = SectionKey.PAN
    pan = StringField(_l("PAN"), validators=[_max(12)])
    pan_name = StringField(_l("Name as on the PAN card"), validators=[_max(120)])
    pan_card = FileField(_l("Copy of the PAN card"))
    pan_card_kept = KeptToken()


class AadhaarForm(Form):
    aadhaar = StringField(_l("Aadhaar number"), validators=[_max(20)])
    save = SubmitField(_l("Check and save the last four digits"))


class UdyamForm(SectionForm):
    section = SectionKey.UDYAM
    udyam_number = StringField(_l("Udyam registration number"), validators=[_max(25)])
    udyam_certificate = FileField(_l("Udyam registration certificate (optional)"))
    udyam_certificate_kept = KeptToken()


class GstForm(SectionForm):
    section = SectionKey.GST
    gst_mode = RadioField(_l("Do you have a GSTIN?"), validators=[Optional()],
                          choices=[SelectChoice(GstMode.REGISTERED.value, _l("Yes, I have a GSTIN")),
                                   SelectChoice(GstMode.EXEMPT.value, _l("No, I am exempt"))],
                          validate_choice=False)
    gstin = StringField(_l("GSTIN"), validators=[_max(20)])
    gst_certificate = FileField(_l("GST registration certificate"))
    gst_certificate_kept = KeptToken()
    gst_exemption = RadioField(_l("Why you do not need a GSTIN"), validators=[Optional()],
                               choices=[SelectChoice(e.value, e.label) for e in GstExemption],
                               validate_choice=False)
    gst_enrolment_id = StringField(_l("GST enrolment ID"), validators=[_max(20)])


class BankForm(SectionForm):
    section = SectionKey.BANK
    bank_holder_name = StringField(_l("Account holder's name"), validators=[_max(120)])
    bank_account_number = StringField(_l("Account number"), validators=[_max(24)])
    bank_account_confirm = StringField(_l("Account number again"), validators=[_max(24)])
    bank_ifsc = StringField(_l("IFSC"), validators=[_max(15)])
    bank_proof = FileField(_l("Cancelled cheque or first page of the passbook"))
    bank_proof_kept = KeptToken()

    def show_saved(self, seller: Seller) -> None:
        # The account number is never shown again once saved.
        self.bank_account_number.data = self.bank_account_confirm.data = ""


class AddressForm(SectionForm):
    section = SectionKey.ADDRESS
    address_line1 = StringField(_l("House, building or workshop"), validators=[_max(200)])
    address_line2 = StringField(_l("Street, area or village (optional)"), validators=[_max(200)])
    address_city = StringField(_l("Town or city"), validators=[_max(120)])
    address_pin = StringField(_l("PIN code"), validators=[_max(10)])


class CertificatesForm(SectionForm):
    section = SectionKey.CERTIFICATES
    sells_processed_food = BooleanField(_l(
        "I sell processed or packaged food (for example pickles, spice powders, honey)"))
    fssai_number = StringField(_l("FSSAI licence or registration number"), validators=[_max(20)])
    fssai_certificate = FileField(_l("FSSAI certificate"))
    fssai_certificate_kept = KeptToken()
    gi_certificate = FileField(_l("GI authorised user certificate (optional)"))
    gi_certificate_kept = KeptToken()
    artisan_card = FileField(_l("Artisan (Pehchan) or weaver identity card (optional)"))
    artisan_card_kept = KeptToken()


class DeclarationsForm(SectionForm):
    section = SectionKey.DECLARATIONS
    accept_terms = BooleanField(_l("I accept the seller terms above"))

    def show_saved(self, seller: Seller) -> None:
        self.accept_terms.data = seller.terms_accepted_at is not None


class SubmitApplicationForm(Form):
    submit = SubmitField(_l("Submit for review"))


class RemoveForm(Form):
    remove = SubmitField(_l("Remove"))
