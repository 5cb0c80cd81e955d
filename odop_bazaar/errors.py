"""Friendly error pages: 400, 403, 404, 405, 413, 429 and 500, in the visitor's language."""

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from odop_bazaar.api import problems
from odop_bazaar.extensions import db
from odop_bazaar.hardening import UnreadableText
from odop_bazaar.same_origin import CrossOriginRequest
from odop_bazaar.services.errors import DomainError

log = logging.getLogger(__name__)

PAGES = {
    400: (_l("Something in that request was not right"),
          _l("Go back, check what you entered and try again.")),
    403: (_l("You cannot open this page"),
          _l("Your account does not have access to this page. If you think it should, contact the "
             "ODOP Bazaar team.")),
    404: (_l("Page not found"),
          _l("Check the address, or start again from the home page.")),
    405: (_l("That action is not possible here"),
          _l("Go back and use the buttons on the page.")),
    413: (_l("That file is too large"),
          _l("Choose a smaller file and try again.")),
    429: (_l("Too many attempts"),
          _l("For your safety we have paused this for a while. Wait a few minutes and try "
             "again.")),
    500: (_l("Sorry, something went wrong on our side"),
          _l("Nothing you did caused this. Try again in a few minutes; what you entered has not "
             "been saved.")),
}


# A 413 for a body without files: no file was chosen, so "choose a smaller file" would puzzle.
FORM_TOO_LARGE = (_l("That form is too large"),
                  _l("It sent far more than any of our forms can hold. Go back, reload the page "
                     "and send it again."))

# Text that is not UTF-8 (hardening.UnreadableText): a phone keyboard or browser set to an old
# encoding, or text pasted from a broken file. The form itself has not expired.
UNREADABLE_TEXT = (_l("We could not read the text you sent"),
                   _l("Some of the text you sent arrived garbled, so we could not read it. Go "
                      "back, type it again rather than pasting it, and send the form again. "
                      "Nothing has been saved."))


def _render(code: int, detail=None, page=None):
    if problems.is_api_request():
        # The API answers in problem details, with the page's words as the detail.
        return problems.problem(code, detail or (page[1] if page else None))
    title, advice = page or PAGES[code]
    return render_template("errors/error.html", code=code, title=title, advice=advice,
                           detail=detail), code


def _render_error(error, code: int):
    if problems.is_api_request():
        return problems.from_http_exception(error)
    return _render(code)


def register_api_answers(app: Flask) -> None:
    """Errors without a page of their own, answered as problem details under /api/."""

    @app.errorhandler(HTTPException)
    def other_http_error(error):
        # 401, 409, 415, 422 ...: only the API raises these; a page gets werkzeug's answer.
        if problems.is_api_request():
            return problems.from_http_exception(error)
        return error

    @app.errorhandler(DomainError)
    def refused(error):
        # Views turn refusals into messages; under /api/ a view may let the service's refusal
        # through, and it becomes a problem answer.
        if problems.is_api_request():
            return problems.from_domain_error(error)
        raise error


def register(app: Flask) -> None:
    for code in (400, 403, 404, 405, 429):
        app.register_error_handler(code, lambda error, code=code: _render_error(error, code))

    register_api_answers(app)

    @app.errorhandler(413)
    def too_large(error):
        if request.mimetype == "multipart/form-data":
            return _render(413)
        return _render(413, page=FORM_TOO_LARGE)

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # The Host header is not ours, so no URL of ours can be built: answer plainly.
        return str(_l("Bad request: this site does not answer for that host name.")), 400, {
            "Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(UnreadableText)
    def unreadable_text(error):
        return _render(400, page=UNREADABLE_TEXT)

    @app.errorhandler(CrossOriginRequest)
    def cross_origin(error):
        return _render(403, page=(error.title, error.advice))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, _l("This form has expired or came from another page. Go back, "
                               "reload the page and send it again."))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        if problems.is_api_request():
            return problems.problem(500)
        return _render(500)
