"""Translation in templates, without Flask-Babel's per-string lookups.

A buyer page translates 30 to 130 strings. Through Flask-Babel and Jinja's i18n extension each
`_()` passed three `Context.call`s and looked up the request context, the locale and the
catalogue again (about 15 µs a string, a fifth of a cold product page). Here `_` and
`ngettext` are plain functions with the newstyle semantics templates are written for (the
result is escaped Markup when autoescaping, and always %-formatted with its variables), and the
catalogue is found once per request and language. (Not once per render: a macro imported
from another template runs in that template's module, which Jinja renders once and keeps, so
anything remembered on its context would outlive the request.)
"""

from flask import Flask, g
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup


def translations():
    """This request's translations in the current language, found once per request.

    force_locale (emails in the reader's language) changes the locale within a request, so
    the locale is part of the key.
    """
    locale = get_locale()
    try:
        held = g.get("_odop_translations")
    except RuntimeError:  # no app context: Flask-Babel's own answer
        return get_translations()
    if held is None or held[0] is not locale:
        held = g._odop_translations = (locale, get_translations())
    return held[1]


# Parameter names a template never passes as a variable ({{ ngettext(..., num=n|number) }}).
@pass_eval_context
def gettext(__eval_ctx, __string: str, **variables):
    translated = translations().ugettext(__string)
    if __eval_ctx.autoescape:
        # Our own catalogue's text, as Jinja's gettext marks it; the variables put in by % are
        # escaped by Markup.
        translated = Markup(translated)  # nosec B704
    return translated % variables


@pass_eval_context
def ngettext(__eval_ctx, __singular: str, __plural: str, __num, **variables):
    variables.setdefault("num", __num)
    translated = translations().ungettext(__singular, __plural, __num)
    if __eval_ctx.autoescape:
        translated = Markup(translated)  # nosec B704
    return translated % variables


def init_app(app: Flask) -> None:
    """Install these in place of what Flask-Babel installed (call after babel.init_app)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: translations().ugettext(string),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(
            context, singular, plural, n),
        newstyle=True)
    # `{{ _('…') }}` and `{{ ngettext(…) }}` call these directly ({% trans %} blocks keep the
    # extension's wrappers around the callables above).
    app.jinja_env.globals.update(_=gettext, ngettext=ngettext)
