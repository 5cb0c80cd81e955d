"""Small helpers shared by the views: the status of a form that comes back, the one way a refusal
is shown."""

import logging

from flask import Response, flash, request
from werkzeug.wsgi import wrap_file

from odop_bazaar.services.errors import DomainError, FieldErrors

INVALID = 422  # a form that comes back with errors, showing what the person typed
log = logging.getLogger(__name__)


def show_refusal(error: DomainError, form=None) -> None:
    """Tell the person why a service refused, where they are looking.

    With a form: each FieldErrors message beside its field, any other refusal at the top of the
    form (the page is shown again with what they typed). Without one (a button on a list page):
    the messages as a flash on the page the view redirects to.

    The idiom in every view:
        try:
            result = service(...)
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(...); return redirect(...)
        return render_template(..., form=form), INVALID
    """
    if form is not None:
        if isinstance(error, FieldErrors):
            error.attach_to(form)
        else:
            form.form_errors.append(str(error))
        return
    for message in error.messages() if isinstance(error, FieldErrors) else [str(error)]:
        flash(message, "error")



def streamed(stream) -> Response:
    """A response that sends an open file (or an S3 object's body) in blocks and closes it."""
    return Response(wrap_file(request.environ, stream), direct_passthrough=True)
