"""Forms of the reviews pages: shape only; the rules are in services/reviews."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

from odop_bazaar.forms import Form
from odop_bazaar.models.reviews import HideReason

STAR_CHOICES = [SelectChoice("5", _l("5 stars: excellent")),
                SelectChoice("4", _l("4 stars: good")), SelectChoice("3", _l("3 stars: all right")),
                SelectChoice("2", _l("2 stars: poor")), SelectChoice("1", _l("1 star: very poor"))]


def _reasons():
    return [SelectChoice(reason.value, reason.label) for reason in HideReason]


class ReviewForm(Form):
    # validate_choice off: the service refuses a rating outside 1-5 with its own words.
    rating = RadioField(_l("Your rating"), choices=STAR_CHOICES, validate_choice=False)
    text = TextAreaField(_l("Your review (optional, in any language)"))
    photos = MultipleFileField(_l("Photos (optional, up to 3)"))


class ReplyForm(Form):
    text = TextAreaField(_l("Your reply (you can reply once)"))


class ReportForm(Form):
    reason = SelectField(_l("Why should it not be shown?"), choices=_reasons(),
                         validate_choice=False)
    note = TextAreaField(_l("Anything staff should know (optional)"))
