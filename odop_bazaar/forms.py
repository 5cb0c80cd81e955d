"""The base of every form in the app: text as a person meant it, without invisible ends."""

import unicodedata

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget


def _invisible(character: str) -> bool:
    # White space, and format characters: zero-width spaces, joiners, direction marks.
    return character.isspace() or unicodedata.category(character) == "Cf"


def trim_invisible_ends(value):
    """Drop white space and zero-width characters from both ends of typed text.

    Inside a word a joiner can matter (Devanagari conjuncts); at either end it never does, and a
    name made only of such characters would show as blank to staff and buyers. Python's strip()
    and WTForms' DataRequired see U+200B as text, so this is done here, once for every field.
    """
    if not isinstance(value, str):
        return value
    start, end = 0, len(value)
    while start < end and _invisible(value[start]):
        start += 1
    while end > start and _invisible(value[end - 1]):
        end -= 1
    return value[start:end]


class Form(FlaskForm):
    """FlaskForm (CSRF, file data) whose text fields are trimmed before they are validated."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            # Passwords are taken exactly as typed.
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                options["filters"] = (trim_invisible_ends,
                                      *unbound_field.kwargs.get("filters", ()))
            return unbound_field.bind(form=form, **options)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (templates/macros/forms.html `checkboxes`)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
