"""Templates translate through odop_bazaar/template_gettext.py: each string in the language of
the request (or of force_locale), escaped and formatted as Jinja's newstyle gettext does."""

from flask import render_template_string
from flask_babel import force_locale
from markupsafe import Markup

from odop_bazaar.i18n import ENVIRON_LOCALE


def render(app, source, language, **context):
    # The language of the address (/hi/...), as the WSGI middleware notes it.
    with app.test_request_context("/", environ_base={ENVIRON_LOCALE: language}):
        return render_template_string(source, **context)


def test_each_request_is_in_its_own_language_even_in_imported_macros(app):
    # A macro imported from another template runs in that template's module, which Jinja
    # renders once and keeps: nothing of one request's language may stay there.
    source = ('{% from "shop/_cards.html" import cards %}{{ _("GI tagged") }}|'
              '{{ cards([card]) }}')
    card = {"listing_id": 1, "slug": "s", "cover": None, "title": "T", "price_paise": 100,
            "mrp_paise": 100, "product_name": "P", "district_name": "D", "made_to_order": True}
    for language, gi, made in (("en", "GI tagged", "made to order"),
                               ("hi", "जीआई टैग", "ऑर्डर पर बनाया जाता है"),
                               ("en", "GI tagged", "made to order")):
        page = render(app, source, language, card=card)
        assert page.startswith(gi + "|") and made in page, language


def test_force_locale_within_a_request_translates_in_its_language(app):
    with app.test_request_context("/"):
        assert render_template_string('{{ _("GI tagged") }}') == "GI tagged"
        with force_locale("hi"):
            assert render_template_string('{{ _("GI tagged") }}') == "जीआई टैग"
        assert render_template_string('{{ _("GI tagged") }}') == "GI tagged"


def test_strings_are_escaped_and_formatted_like_jinjas_newstyle_gettext(app):
    page = render(app, "{{ _('%(n)d%% off', n=5) }} {{ _('Search: %(q)s', q=q) }} "
                       "{{ ngettext('%(num)s product', '%(num)s products', 2) }} "
                       "{{ ngettext('%(num)s product', '%(num)s products', 1234, num='1,234') }}",
                  "en",
                  q="<b>")
    assert page == "5% off Search: &lt;b&gt; 2 products 1,234 products"
    with app.test_request_context("/"):
        assert render_template_string("{{ _('Search') }}") == Markup("Search")
