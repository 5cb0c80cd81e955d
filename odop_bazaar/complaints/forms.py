"""Forms of the complaint pages, for the people who open tickets and for staff."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, TextAreaField

from odop_bazaar.forms import Form


class ComplaintForm(Form):
    """A new ticket. The submission key is written into the page, so a second press of the
    button finds the ticket the first one opened."""

    category = SelectField(_l("What is the complaint about?"), validate_choice=False)
    description = TextAreaField(_l("What happened?"))
    submission_key = HiddenField()


class ReplyForm(Form):
    body = TextAreaField(_l("Your reply"))


class ReopenForm(Form):
    reason = TextAreaField(_l("Why is the problem not solved?"))


class AcknowledgeForm(Form):
    note = TextAreaField(_l("Message to the person who opened it (optional)"))


class ResolveForm(Form):
    resolution = TextAreaField(_l("How was it resolved?"))
