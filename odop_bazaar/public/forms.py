"""Forms shown to every visitor: the search box with its filters."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SearchField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from odop_bazaar.forms import Form
from odop_bazaar.models.reference import SECTORS


class SearchForm(Form):
    """The search box. A GET form, so results can be shared by URL: no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search products, districts and states"),
                    validators=[Length(max=200, message=_l("Use at most 200 characters in your search."))])
    sector = SelectField(_l("Sector"), validate_choice=False, choices=[
        SelectChoice("", _l("All sectors"))] + [SelectChoice(s.value, s.label) for s in SECTORS])
    state = SelectField(_l("State"), validate_choice=False)
    district = HiddenField()
    min_price = StringField(_l("Lowest price (₹)"), validators=[Length(max=12)])
    max_price = StringField(_l("Highest price (₹)"), validators=[Length(max=12)])
    gi = BooleanField(_l("GI-tagged only"))
    in_stock = BooleanField(_l("In stock now (not made to order)"))
    sort = SelectField(_l("Sort by"), validate_choice=False, choices=[
        SelectChoice("relevance", _l("Best match")), SelectChoice("newest", _l("Newest")),
        SelectChoice("price_asc", _l("Price: low to high")),
        SelectChoice("price_desc", _l("Price: high to low"))])
    page = HiddenField()
    # "Search instead for ...": the words as typed, not corrected (services/catalogue/spelling.py).
    exact = HiddenField()
    submit = SubmitField(_l("Search"))

    # The address parameters a search understands (links keep these and drop anything else).
    FIELDS = ("q", "sector", "state", "district", "min_price", "max_price", "gi", "in_stock",
              "sort", "exact")
