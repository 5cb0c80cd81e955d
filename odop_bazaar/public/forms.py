from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SearchField, SubmitField
from wtforms.validators import Length, ValidationError


class LanguageForm(FlaskForm):
    """The header's language switch: one button per language."""

    locale = HiddenField()
    next = HiddenField()

    def validate_locale(self, field):
        if field.data not in current_app.config["LANGUAGES"]:
            raise ValidationError(_l("That language is not available."))


class SearchForm(FlaskForm):
    """The search box. A GET form, so results can be shared by URL: no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search products, districts and states"),
                    validators=[Length(max=200, message=_l("Use at most 200 characters in your search."))])
    submit = SubmitField(_l("Search"))
