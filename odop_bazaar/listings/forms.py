"""Listing forms. The rules for each answer live in services.catalogue.checks."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from odop_bazaar.forms import Form
from odop_bazaar.models.catalogue import GST_RATES, Unit
from odop_bazaar.onboarding.forms import optional_int


def _max(n):
    return Length(max=n, message=_l("Use at most %(n)d characters.", n=n))


class ListingContentForm(Form):
    odop_product_id = SelectField(_l("ODOP product"), coerce=optional_int, validate_choice=False)
    title = StringField(_l("Title"), validators=[_max(120)])
    description = TextAreaField(_l("Description"), validators=[_max(5000)])
    title_hi = StringField(_l("Title in Hindi (optional)"), validators=[_max(120)])
    description_hi = TextAreaField(_l("Description in Hindi (optional)"),
                                   validators=[_max(5000)])
    unit = SelectField(_l("Unit of sale"), validate_choice=False,
                       choices=[SelectChoice(u.value, u.label) for u in Unit])
    net_quantity = StringField(_l("Net quantity"), validators=[_max(12)])
    hsn_code = StringField(_l("HSN code"), validators=[_max(12)])
    gst_rate = RadioField(_l("GST rate"), validate_choice=False, default="5",
                          choices=[SelectChoice(str(r), f"{r} %") for r in GST_RATES])
    weight_grams = StringField(_l("Weight when packed, in grams"), validators=[_max(9)])
    length_cm = StringField(_l("Length (cm)"), validators=[_max(6)])
    width_cm = StringField(_l("Width (cm)"), validators=[_max(6)])
    height_cm = StringField(_l("Height (cm)"), validators=[_max(6)])
    country_of_origin = StringField(_l("Country of origin"), default="India",
                                    validators=[_max(60)])
    prepackaged = BooleanField(_l("This is pre-packaged (sold in a sealed pack with a label)"))
    manufacturer_name = StringField(_l("Manufacturer or packer: name"), validators=[_max(200)])
    manufacturer_address = TextAreaField(_l("Manufacturer or packer: address"),
                                         validators=[_max(400)])
    manufactured_month = StringField(_l("Month of manufacture or packing"), validators=[_max(7)])
    consumer_care = StringField(_l("Consumer care contact"), validators=[_max(200)])
    save = SubmitField(_l("Save"))

    def answers(self) -> dict:
        skip = {"csrf_token", "save"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


class PriceStockForm(Form):
    price = StringField(_l("Price in rupees, with GST"), validators=[_max(16)])
    mrp = StringField(_l("MRP in rupees"), validators=[_max(16)])
    stock = StringField(_l("Stock"), validators=[_max(9)])
    made_to_order = BooleanField(_l("Made to order"))
    lead_time_days = StringField(_l("Days needed to make it"), validators=[_max(4)])
    stock_seen = HiddenField()  # the stock the page showed, so a sale since is not undone
    back = HiddenField()  # "index" when saved from the list of listings
    save_prices = SubmitField(_l("Save price and stock"))

    def answers(self) -> dict:
        return {name: self._fields[name].data for name in
                ("price", "mrp", "stock", "made_to_order", "lead_time_days", "stock_seen")}


class NewListingForm(ListingContentForm, PriceStockForm):
    """A new listing asks for everything at once."""

    def answers(self) -> dict:
        return ListingContentForm.answers(self)


class PhotoUploadForm(Form):
    photos = MultipleFileField(_l("Add photos"))
    upload = SubmitField(_l("Upload"))


class PhotoActionForm(Form):
    action = HiddenField()


class ListingActionForm(Form):
    submit_review = SubmitField(_l("Submit for review"))
    unpublish = SubmitField(_l("Take off the shop"))
    republish = SubmitField(_l("Put back on the shop"))
