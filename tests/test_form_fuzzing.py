"""Arbitrary text in every form (issue #8).

Hypothesis fills each form a person can submit with text mixing ASCII, Devanagari, emoji,
zero-width and combining characters and control characters (NUL and CR LF among them), blank and
very long values (10,000 to 100,000 characters), numbers written oddly ("1e9", "-0", "१२३",
"9" * 40) and near misses of what the field wants (a PAN with a Devanagari digit, a mobile number
with +91 and dashes), and posts it with a valid CSRF token as the person the form is for.

Every answer must hold to four things:
- never a server error: no status of 500 or above, and the app under test propagates exceptions
  (PROPAGATE_EXCEPTIONS), so one raised in a view fails the example too;
- a refusal (a 4xx, or a redirect that flashes an error) stores nothing: every table's rows, the
  files under STORAGE_ROOT and the mail outbox are exactly as before;
- a form page that comes back with errors (422) shows in its text fields what was typed;
- free text that is accepted is stored as typed, less the normalisation the service documents
  (surrounding white space stripped; NFC without joiners for listings; runs of white space made
  one space in delivery addresses and cancellation reasons), and the page shows it back.

Speed: the app and the people, sellers, listings and orders the forms act on are built once for
the module; each test logs in once and reuses its client across examples. Examples are
derandomised (and no example database is kept), so CI runs the same inputs every time and a
failure there is one anybody can repeat. That fixed set never looks anywhere new, so a deeper
search is run by hand: ODOP_FUZZ_RANDOM=1 draws new inputs each run, ten times as many
(ODOP_FUZZ_SCALE sets how many times); a failure prints the --hypothesis-seed=N that repeats it.
"""

import csv
import io
import os
import re
import string
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import event as sql_event
from sqlalchemy import select
from stdnum import luhn, verhoeff
from stdnum.in_ import gstin as stdnum_gstin
from werkzeug.urls import iri_to_uri

from odop_bazaar.access import safe_next_url
from odop_bazaar.extensions import db
from odop_bazaar.forms import trim_invisible_ends
from odop_bazaar.identifiers import (
    ascii_digits,
    normalise_mobile,
    validate_aadhaar,
    validate_gstin,
    validate_ifsc,
    validate_pan,
    validate_pin,
    validate_udyam,
)
from odop_bazaar.models import Listing, OdopProduct, Role, SectionKey, Seller, User
from odop_bazaar.models.api_access import ApiToken
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.catalogue import GST_RATES, ReasonCode, Unit
from odop_bazaar.models.orders import Cart, Checkout, Order
from odop_bazaar.models.reference import SECTORS
from odop_bazaar.models.sellers import GstExemption, SellerType
from odop_bazaar.models.settlements import LedgerEntry
from odop_bazaar.money import parse_rupees
from odop_bazaar.services import sellers as onboarding
from odop_bazaar.services.accounts import api_tokens, users
from odop_bazaar.services.accounts.users import normalise_email
from odop_bazaar.services.catalogue import listings
from odop_bazaar.services.catalogue.search import SORTS, normalise
from odop_bazaar.services.orders import cart as cart_service
from odop_bazaar.services.orders import checkout as checkout_service
from odop_bazaar.services.orders import marketplace_settings
from odop_bazaar.services.reporting.audit_log import OBJECT_TYPES
from tests.conftest import SAME_ORIGIN, csrf_token, log_in, make_test_app
from tests.factories import (
    PASSWORD,
    VALID_PAN,
    make_jpeg,
    make_pdf,
    make_places,
    make_seller,
    make_user,
)
from tests.factories import listing as make_listing


def fuzz(examples: int, environ=os.environ) -> settings:
    """Settings for one form: `examples` derandomised examples (CI's fixed set), no time limit.

    ODOP_FUZZ_RANDOM=1: new random examples each run, ten times as many. ODOP_FUZZ_SCALE=N
    multiplies the number of examples either way.
    """
    randomised = environ.get("ODOP_FUZZ_RANDOM", "") not in ("", "0")
    scale = float(environ.get("ODOP_FUZZ_SCALE", "10" if randomised else "1"))
    return settings(
        max_examples=max(1, round(examples * scale)), deadline=None, derandomize=not randomised,
        database=None, print_blob=randomised,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.large_base_example])



# --- What goes into the fields ----------------------------------------------------------------

ABSENT = None  # the field is left out of the request altogether

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f")
CONTROLS = ("\r\n", "\n", "\r", "\t", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x01", "\x1f",
            "\u2028")
BLANKS = ("", " ", "   ", "\t", "\r\n", "\xa0", "\u3000", "\u200b", " \n ")
DEVANAGARI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")
OTHER_DIGITS = (str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
                str.maketrans("0123456789", "０１２３４５６７８９"),
                str.maketrans("0123456789", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"))
LATIN_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXaceopx", "АВСЕНКМОРТХасеорх")

PIECE = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x900, max_codepoint=0x97F),
    st.text(st.characters(min_codepoint=0x900, max_codepoint=0x97F), min_size=2, max_size=8),
    st.sampled_from(ZERO_WIDTH),
    st.characters(categories=["Mn", "Me"]),
    st.sampled_from(CONTROLS),
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
    # Anything else that UTF-8 can carry (no lone surrogates); NUL comes in on its own below.
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
)
MIXED = st.lists(PIECE, max_size=24).map("".join)
LONG = st.builds(lambda piece, size: (piece * (size // len(piece) + 1))[:size],
                 st.lists(PIECE, min_size=1, max_size=6).map("".join),
                 st.integers(10_000, 100_000))
ODD_NUMBERS = st.one_of(
    st.sampled_from((
        "1e9", "-0", "٣", "१२३", "9" * 40, "0x1F", "1_000", "+5", " 7 ", "½", "²", "Ⅻ", "NaN",
        "inf", "-1", "0", "00", "0.0", "1.5", "1,00,000", "1,2,3", "₹ 1,250.50", "Rs. 99",
        "१,२५०.५०", "0.001", "99999999999", "2147483648", "-2147483649", "１２３", "𝟗",
        "9" * 5000, "1" + "0" * 400, ".5", "5.", "1..2", "1 000", "٫٥", "−5", "1e-3")),
    st.integers(-10**40, 10**40).map(str),
    st.integers(0, 10**12).map(lambda n: str(n).translate(DEVANAGARI_DIGITS)),
    st.floats().map(str),
)


def weighted(*choices):
    """One of the strategies, chosen with the given weights: weighted((3, a), (1, b))."""
    bounds, total = [], 0
    for weight, strategy in choices:
        total += weight
        bounds.append((total, strategy))
    return st.integers(0, total - 1).flatmap(
        lambda i: next(strategy for bound, strategy in bounds if i < bound))


_SAME_SHAPE = ("replace", "look-alike", "full-width", "other digits", "Devanagari digits",
               "case", "separator")
_NEW_SHAPE = ("insert", "drop", "blanks around", "twice", "cut")


@st.composite
def near_miss(draw, valid):
    """A valid value changed a little. Mostly its shape is kept (a character replaced, Cyrillic
    or full-width look-alikes, other scripts' digits, case, a space or dash inside), so the
    checks past the length reach it; sometimes a character is added or dropped, blanks put
    around, the value doubled or cut."""
    value = draw(st.sampled_from(valid))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(value)))
        how = draw(weighted((7, st.sampled_from(_SAME_SHAPE)), (3, st.sampled_from(_NEW_SHAPE))))
        if how == "replace":
            value = value[:at] + draw(PIECE) + value[at + 1:]
        elif how == "look-alike":
            value = value.translate(LATIN_TO_CYRILLIC)
        elif how == "full-width":
            value = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in value)
        elif how == "other digits":
            value = value.translate(draw(st.sampled_from(OTHER_DIGITS)))
        elif how == "Devanagari digits":
            value = value.translate(DEVANAGARI_DIGITS)
        elif how == "case":
            value = value.swapcase()
        elif how == "separator":
            value = value[:at] + draw(st.sampled_from((" ", "-", ".", "/", "\u200b"))) + value[at:]
        elif how == "insert":
            value = value[:at] + draw(PIECE) + value[at:]
        elif how == "drop":
            value = value[:at] + value[at + 1:]
        elif how == "blanks around":
            value = draw(st.sampled_from(BLANKS)) + value + draw(st.sampled_from(BLANKS))
        elif how == "twice":
            value = value * 2
        else:
            value = value[:at]
    return value


def identifier(*valid):
    """For a starting answer: a valid identifier, or (twice as often) a near miss of one."""
    return weighted((1, st.sampled_from(valid)), (2, near_miss(list(valid))))


def text(*valid):
    """Text for one field: arbitrary, blank, odd numbers, very long, and (given valid values)
    those values as they are and near misses of them."""
    choices = [(15, st.sampled_from(BLANKS)), (35, MIXED), (10, ODD_NUMBERS), (5, LONG)]
    if valid:
        choices += [(15, st.sampled_from(valid)), (25, near_miss(list(valid)))]
    return weighted(*choices)


BOOLISH = weighted((3, st.sampled_from(("y", "on", "true", "1", "", "false", "False", "0",
                                        "no", "off"))), (1, MIXED))
BUTTON = weighted((6, st.just(ABSENT)), (3, st.sampled_from(("y", "Save", "", "false"))),
                  (1, MIXED))


def maybe_absent(strategy):
    return weighted((1, st.just(ABSENT)), (9, strategy))


def _with_nul(drawn):
    values, nul, where = drawn
    if nul == 7:  # one example in forty carries a NUL byte in one of its fields
        names = sorted(name for name, value in values.items() if isinstance(value, str))
        if names:
            name = names[where % len(names)]
            at = where % (len(values[name]) + 1)
            values = {**values, name: values[name][:at] + "\x00" + values[name][at:]}
    return values


def form(valid=None, **fields):
    """A form's fields, each now and then left out, and now and then a NUL byte in one.

    With `valid` (a strategy of complete, acceptable answers), two examples in three start from
    acceptable answers and put arbitrary text in at most two fields, so that the checks behind
    the first refusal, and acceptance itself, are reached as often as outright garbage.
    """
    fuzzed = st.fixed_dictionaries({name: maybe_absent(strategy)
                                    for name, strategy in fields.items()})
    if valid is not None:
        fuzzed = weighted((1, fuzzed), (2, _mostly_valid(valid, fields)))
    return st.tuples(fuzzed, st.integers(0, 39), st.integers(0, 2**16)).map(_with_nul)


@st.composite
def _mostly_valid(draw, valid, fields):
    answers = dict(draw(valid))
    for name in sorted(draw(st.sets(st.sampled_from(sorted(fields)), max_size=2))):
        answers[name] = draw(maybe_absent(fields[name]))
    return answers


FREE_TEXT = st.lists(PIECE, min_size=1, max_size=24).map("".join).filter(
    trim_invisible_ends)


def short_text(limit):
    """Free text that fits the field: not blank, at most `limit` characters."""
    return FREE_TEXT.filter(lambda value: len(value) <= limit)


def many(strategy, most=4):
    """A field sent several times (checkboxes, multiple selects)."""
    return st.lists(strategy, max_size=most)


def browser_filename(name: str) -> str:
    # What a browser does to a file name in a multipart header (HTML's form encoding).
    return name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def upload(content, name):
    """A file field: the content, under a file name near `name`."""
    names = text(name, "पैन कार्ड.pdf", "a.png", "../../etc/passwd", "a.pdf.exe", "C:\\a.pdf")
    return st.tuples(content, names).map(lambda pair: (pair[0], browser_filename(pair[1])))


# Valid values and the shapes near them.
VALID_GSTIN = f"09{VALID_PAN}1Z" + luhn.calc_check_digit(f"09{VALID_PAN}1Z",
                                                        stdnum_gstin._ALPHABET)
# Ladakh's GST state code (38) is newer than python-stdnum's list, so identifiers.py checks it
# by its own path.
LADAKH_GSTIN = f"38{VALID_PAN}1Z" + luhn.calc_check_digit(f"38{VALID_PAN}1Z",
                                                         stdnum_gstin._ALPHABET)
VALID_AADHAAR = "23412341234" + verhoeff.calc_check_digit("23412341234")
MOBILES = ("9876543210", "+91 98765 43210", "09876543210", "919876543210", "98765-43210",
           "९८७६५४३२१०", "5876543210", "(98765) 43210")
EMAILS = ("asha@example.com", "ASHA.Verma+shop@Example.COM", "अनु@example.com",
          "a@example.co.in", "x@localhost", "a@@example.com", "@example.com")
PASSWORDS = ("lanterns-over-the-ghats", "कमल-का-फूल-१२३", "12345678", "short", "        ")
GOOD_PASSWORD = st.sampled_from(PASSWORDS[:3]) | st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=8,
    max_size=40).filter(str.strip)
GOOD_MOBILE = st.sampled_from(MOBILES[:6])
NEXTS = ("/orders", "/account", "/cart?x=1", "//evil.example", "https://evil.example/",
         "/\\evil.example", "/\tevil", "javascript:alert(1)", "/%2F%2Fevil.example",
         "/सामान", "\\\\evil.example", "/\u2028x")
AMOUNTS = ("100", "1,250.50", "₹ 99", "Rs. 12", "१२५०", "12,34,567", "0.50", "1250.505", "0")
PINS = ("221001", "221005", "२२१००१", "403001", "022100", "221 001")


UNIQUE_EMAIL = st.builds(
    "{}@{}".format,
    st.text(string.ascii_lowercase + string.digits + "अनुआ", min_size=1, max_size=12),
    st.sampled_from(("example.com", "Example.IN", "मिसाल.भारत")))


# --- The app, the people and the things the forms act on -------------------------------------

def _no_fsync(connection, _record):
    connection.execute("PRAGMA synchronous = OFF")


@pytest.fixture(scope="module")
def app(shared_database_url, tmp_path_factory):
    """One app for the module. Rate limits would turn most examples into 429s; exceptions must
    reach the test rather than become error pages."""
    made = make_test_app(shared_database_url, tmp_path_factory.mktemp("fuzz"),
                     RATELIMIT_ENABLED=False, PROPAGATE_EXCEPTIONS=True)
    app = next(made)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # A thousand commits: waiting for the disk on each would double the run time.
            sql_event.listen(db.engine, "connect", _no_fsync)
            db.engine.dispose()
    yield app
    next(made, None)


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def new_order(app, buyer_email: str, listing_id: int) -> SimpleNamespace:
    """A cash-on-delivery order of one unit, placed as the buyer would."""
    address = {"name": "Asha Verma", "phone": "98765 43210", "line1": "12 Lanka Road",
               "line2": "", "city": "Varanasi", "state": "9", "pin": "221005"}
    with app.test_request_context():
        buyer = _user(buyer_email)
        cart_service.add(buyer, {}, listing_id, "1")
        summary = checkout_service.summarise(buyer, {})
        placed = checkout_service.place_order(buyer, {}, address, "cod", summary.fingerprint)
        return SimpleNamespace(reference=placed.reference, id=placed.orders[0].id)


def verified_submission(app, admin_email: str) -> int:
    """A submitted seller whose every section staff have verified: ready to approve."""
    _, seller_id = make_seller(app, "submitted")
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        for row in list(seller.sections):
            if row.status == "submitted":
                onboarding.decide_section(seller, SectionKey(row.key), verified=True, note="",
                                          actor=_user(admin_email))
    return seller_id


def reference_csv(extra_rows=(), encoding="cp1252") -> bytes:
    """The ODOP list as make_places() holds it, in the published layout."""
    rows = [["Uttar Pradesh", "Metal Craft", "Moradabad", "171", "Primary", "Handicraft", "",
             "Yes", "", ""],
            ["Uttar Pradesh", "Banarasi Silk Sarees", "Varanasi", "187", "Primary", "Handloom",
             "", "Yes", "", ""],
            ["Uttar Pradesh", "Wooden Lacquerware and Toys", "Varanasi", "187", "Secondary",
             "Handicraft", "", "No", "", ""],
            ["Goa", "Cashew", "North Goa", "551", "Primary", "Agriculture", "", "Yes", "", ""],
            *extra_rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["State", "Product", "District", "LGD Code", "Category", "Sector",
                     "Description", "GI Status", "Photo", "Ministry/ Department"])
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture(scope="module")
def world(app):
    """Everyone and everything the forms act on, each test with its own where it changes them."""
    make_places(app)
    w = SimpleNamespace()
    w.admin = make_user(app, Role.ADMIN)
    w.staff_target = make_user(app, Role.STAFF)
    (w.login_buyer, w.account_buyer, w.password_buyer, w.reset_buyer, w.language_buyer,
     w.cart_buyer, w.checkout_buyer, w.order_buyer, w.misc_buyer) = (
        make_user(app, Role.BUYER) for _ in range(9))
    w.shop_seller_email, w.shop_seller = make_seller(app, "approved")
    w.item = make_listing(app, w.shop_seller, "Banarasi saree", stock="100000")
    w.hindi_item = make_listing(app, w.shop_seller, "बनारसी साड़ी रेशम", stock="100000")
    w.lister_email, w.lister = make_seller(app, "approved")
    w.content_item = make_listing(app, w.lister, "Zari stole", stock="50")
    w.price_item = make_listing(app, w.lister, "Silk dupatta", stock="50")
    w.photo_item = make_listing(app, w.lister, "Brocade cushion", stock="50")
    w.status_item = make_listing(app, w.lister, "Tanchoi saree", stock="50")
    w.review_item = make_listing(app, w.lister, "Jamdani saree", stock="50", approve=False)
    w.onboarding_email, w.onboarding_seller = make_seller(app, "complete")
    w.misc_seller_email, w.misc_seller = make_seller(app, "complete")
    w.sections_seller_email, w.sections_seller = make_seller(app, "submitted")
    w.decision_seller = verified_submission(app, w.admin)
    w.suspension_seller_email, w.suspension_seller = make_seller(app, "approved")
    with app.test_request_context():
        w.product_id = db.session.get(Seller, w.lister).products[0].id
        w.product_ids = [str(id_) for id_ in db.session.scalars(select(OdopProduct.id))]
        # A balance to pay out from: a correction crediting Rs 50 lakh.
        db.session.add(LedgerEntry(seller_id=w.shop_seller, kind="adjustment",
                                   amount_paise=5_000_000_00, note="opening balance"))
        db.session.commit()
        w.ledger_entry = str(db.session.scalar(select(LedgerEntry.id)))
    client = app.test_client()
    log_in(client, w.admin)
    response = client.post("/staff/reference", data={
        "csrf_token": csrf_token(client, "/staff/reference"),
        "list_file": (io.BytesIO(reference_csv()), "ODOP_v33.csv")})
    assert response.status_code == 303, response.get_data(as_text=True)
    w.reference_sha = response.location.rsplit("/", 1)[-1]
    return w


# --- Sending forms and checking every answer ---------------------------------------------------

def snapshot(app):
    """Every row of every table, the files in storage and the mail sent so far."""
    tables = db.metadata.sorted_tables
    with app.app_context(), db.engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()
        if connection.dialect.name == "postgresql":
            # One round trip rather than one per table: each row as its text form.
            cursor.execute(" UNION ALL ".join(
                f"SELECT '{table.name}', r::text FROM \"{table.name}\" r" for table in tables))
            rows = {table.name: [] for table in tables}
            for name, row in cursor.fetchall():
                rows[name].append(row)
            rows = {name: sorted(found) for name, found in rows.items()}
        else:
            rows = {}
            for table in tables:
                order = ", ".join(str(n) for n in range(1, len(table.columns) + 1))
                cursor.execute(f'SELECT * FROM "{table.name}" ORDER BY {order}')
                rows[table.name] = cursor.fetchall()
        cursor.close()
    files = sorted(os.path.join(folder, name)
                   for folder, _dirs, names in os.walk(app.config["STORAGE_ROOT"])
                   for name in names)
    return rows, files, len(app.extensions["mail_outbox"])


def changes(before, after) -> list[str]:
    """What differs between two snapshots, in words."""
    found = [f"{name}: {len(rows)} -> {len(after[0][name])} rows"
             for name, rows in before[0].items() if rows != after[0][name]]
    if before[1] != after[1]:
        found.append(f"files: {sorted(set(after[1]) ^ set(before[1]))[:5]}")
    if before[2] != after[2]:
        found.append(f"mail: {before[2]} -> {after[2]} messages")
    return found


def redirected_without_error(response, flashes) -> bool:
    return response.status_code in (302, 303) and not any(
        category in ("error", "info") for category, _message in flashes)


def has_nul(data: dict) -> bool:
    return any("\x00" in value for value in data.values() if isinstance(value, str))


class Answer(SimpleNamespace):
    @property
    def page(self) -> str:
        return self.response.get_data(as_text=True)


def sent(data: dict) -> dict:
    """The fields as the request carries them (left-out fields gone, files as file objects)."""
    fields = {}
    for name, value in data.items():
        if value is ABSENT:
            continue
        if isinstance(value, tuple):
            value = (io.BytesIO(value[0]), value[1])
        elif isinstance(value, list):
            value = [(io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for v in value]
        fields[name] = value
    return fields


class Probe:
    """One browser: a client with its CSRF token, logged in as someone (or not)."""

    def __init__(self, app, email=None, token_from=None):
        self.app = app
        self.email = email
        self.token_from = token_from
        self.renew()

    def renew(self):
        self.client = self.app.test_client()
        if self.email:
            log_in(self.client, self.email)
        self.token = csrf_token(self.client, self.token_from)

    def _flashes(self):
        with self.client.session_transaction() as session:
            return session.pop("_flashes", [])

    def post(self, path, data, *, echoed=(), accepted=redirected_without_error) -> Answer:
        before = snapshot(self.app)
        fields = sent(data)
        # A browser may send any form as multipart; here only forms carrying a very long value
        # go that way, because percent-decoding a megabyte takes the app a third of a second.
        long = any(isinstance(value, str) and len(value) > 5000 for value in fields.values())
        response = self.client.post(path, data={"csrf_token": self.token, **fields},
                                    content_type="multipart/form-data" if long else None,
                                    headers=SAME_ORIGIN)
        return self._judge("POST", path, data, response, before, echoed, accepted)

    def get(self, path, data, *, echoed=(), may_change=()) -> Answer:
        """A GET form: whatever the answer, nothing is stored (but the tables in may_change)."""
        before = snapshot(self.app)
        response = self.client.get(path, query_string=sent(data))
        answer = self._judge("GET", path, data, response, before, echoed,
                             accepted=lambda response, flashes: True)
        assert [change for change in answer.changes
                if change.split(":")[0] not in may_change] == [], (path, answer.changes)
        return answer

    def _judge(self, method, path, data, response, before, echoed, accepted) -> Answer:
        status = response.status_code
        assert status < 500, f"{method} {path} answered {status}"
        flashes = self._flashes()
        after = snapshot(self.app)
        answer = Answer(response=response, flashes=flashes, accepted=accepted(response, flashes),
                        changes=changes(before, after))
        # pytest --hypothesis-show-statistics: how often each form accepted and refused.
        event(f"{'accepted' if answer.accepted else 'refused'} {status}")
        if not answer.accepted:
            assert answer.changes == [], (
                f"{method} {path} was refused ({status}, {flashes}) but stored: {answer.changes}")
        # A NUL byte is refused at the door (hardening.py) with a plain error page.
        if (status == 422 or (method == "GET" and status == 400)) and not has_nul(data):
            page = answer.page
            for name in echoed:
                # Invisible ends (spaces, zero-width characters) are trimmed by every form.
                value = trim_invisible_ends(data.get(name))
                if isinstance(value, str) and value:
                    assert str(escape(value)) in page, (
                        f"{path} came back ({status}) without what was typed in {name}: "
                        f"{value[:80]!r}")
        return answer


def trimmed(value) -> str:
    """What every form makes of typed text: white space and zero-width characters off both ends."""
    return trim_invisible_ends(value or "")


def stripped(value, limit=None):
    """What a service keeps of a free-text answer: stripped, cut to its column, blank is None."""
    value = trimmed(value)
    return (value[:limit] if limit else value) or None


def one_space(value):
    return " ".join(trimmed(value).split())


def shows(app, probe, path, *values):
    """The page at path shows each stored value (escaped as the templates escape it)."""
    page = probe.client.get(path).get_data(as_text=True)
    for value in values:
        if value:
            assert str(escape(value)) in page, f"{path} does not show {value[:80]!r}"


# --- Accounts -----------------------------------------------------------------------------------

def registration(with_account_type: bool):
    fields = dict(full_name=text("Asha Verma", "आशा वर्मा"),
                  email=weighted((2, UNIQUE_EMAIL), (3, text(*EMAILS))),
                  mobile=text(*MOBILES), password=text(*PASSWORDS), confirm=text(*PASSWORDS))
    if with_account_type:
        fields["account_type"] = text("buyer", "seller", "staff", "admin")
    valid = st.builds(
        lambda name, email, mobile, password, kind: {
            "full_name": name, "email": email, "mobile": mobile, "password": password,
            "confirm": password, **({"account_type": kind} if with_account_type else {})},
        FREE_TEXT.filter(lambda value: len(value) <= 120), UNIQUE_EMAIL,
        maybe_absent(GOOD_MOBILE), GOOD_PASSWORD, st.sampled_from(("buyer", "seller")))
    return form(valid, **fields)


def check_registered(app, probe, data, role):
    with app.app_context():
        user = _user(normalise_email(trimmed(data["email"])))
        assert user.full_name == trimmed(data["full_name"])
        assert user.role == role
        mobile = data.get("mobile")
        assert user.mobile == (normalise_mobile(trimmed(mobile)) if trimmed(mobile) else None)
        assert user.check_password(data["password"])
        name = user.full_name
    shows(app, probe, "/account", name)


@fuzz(30)
@given(data=st.data())
def test_register(app, world, data):
    form_data = data.draw(registration(with_account_type=True))
    probe = Probe(app, token_from="/register")
    answer = probe.post("/register", form_data, echoed=("full_name", "email"))
    if answer.accepted:
        check_registered(app, probe, form_data, form_data.get("account_type"))


@fuzz(20)
@given(data=st.data())
def test_seller_registration_on_sell(app, world, data):
    form_data = data.draw(registration(with_account_type=False))
    probe = Probe(app, token_from="/sell")
    answer = probe.post("/sell", form_data, echoed=("full_name", "email"))
    if answer.accepted:
        check_registered(app, probe, form_data, "seller")


def is_local(location: str) -> bool:
    parts = urlsplit(location)
    return (parts.netloc in ("", "localhost") and not location.startswith("//")
            and "\\" not in location)


@fuzz(30)
@given(data=st.data())
def test_login(app, world, data):
    email = world.login_buyer
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(email=st.sampled_from((email, email.upper(), f" {email} ")),
                                   password=st.just(PASSWORD), remember=BOOLISH,
                                   next=text(*NEXTS))),
        email=text(email, email.upper(), f" {email} "), password=text(PASSWORD),
        remember=BOOLISH, next=text(*NEXTS)))
    probe = Probe(app, token_from="/login")
    answer = probe.post("/login", form_data, echoed=("email",))
    if answer.accepted:
        location = answer.response.location
        assert is_local(location), location
        assert location == iri_to_uri(safe_next_url(form_data.get("next")) or "/account")


@fuzz(25)
@given(data=st.data())
def test_forgot_password(app, world, data):
    form_data = data.draw(form(email=text(world.reset_buyer, *EMAILS)))
    probe = Probe(app, token_from="/forgot-password")
    answer = probe.post("/forgot-password", form_data, echoed=("email",),
                        accepted=lambda response, flashes: response.status_code == 200)
    # The same page whoever asks, and nothing stored either way (only a mail may go).
    assert [change for change in answer.changes if not change.startswith("mail")] == []


@fuzz(25)
@given(data=st.data())
def test_reset_password(app, world, data):
    with app.test_request_context():
        token = users.make_token(_user(world.reset_buyer), users.PASSWORD_RESET)
    form_data = data.draw(form(
        GOOD_PASSWORD.map(lambda password: {"password": password, "confirm": password}),
        password=text(*PASSWORDS), confirm=text(*PASSWORDS)))
    probe = Probe(app, token_from=f"/reset-password/{token}")
    answer = probe.post(f"/reset-password/{token}", form_data)
    if answer.accepted:
        assert answer.response.location == "/login"
        with app.app_context():
            assert _user(world.reset_buyer).check_password(form_data["password"])


@pytest.fixture(scope="module")
def probes(app):
    """Logged-in browsers, made on first use and kept for the module: one log-in per person."""
    made = {}

    def probe(email, token_from=None):
        if (email, token_from) not in made:
            made[email, token_from] = Probe(app, email, token_from)
        return made[email, token_from]
    return probe


@fuzz(30)
@given(data=st.data())
def test_account_details(app, world, probes, data):
    account_probe = probes(world.account_buyer, "/account")
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(full_name=FREE_TEXT.filter(lambda value: len(value) <= 120),
                                   mobile=maybe_absent(GOOD_MOBILE))),
        full_name=text("Asha Verma", "आशा वर्मा"), mobile=text(*MOBILES)))
    answer = account_probe.post("/account", form_data, echoed=("full_name",))
    if answer.accepted:
        with app.app_context():
            user = _user(world.account_buyer)
            assert user.full_name == trimmed(form_data["full_name"])
            mobile = form_data.get("mobile")
            assert user.mobile == (normalise_mobile(trimmed(mobile)) if trimmed(mobile) else None)
            name = user.full_name
        shows(app, account_probe, "/account", name)


@fuzz(30)
@given(data=st.data())
def test_change_password(app, world, probes, data):
    probe = probes(world.password_buyer, "/account/password")
    current = probe.__dict__.setdefault("passwords", [PASSWORD])  # the last one is current
    form_data = data.draw(form(
        GOOD_PASSWORD.map(lambda password: {"current_password": current[-1],
                                            "password": password, "confirm": password}),
        current_password=text(current[-1]), password=text(*PASSWORDS),
        confirm=text(*PASSWORDS)))
    answer = probe.post("/account/password", form_data)
    if answer.accepted:
        current.append(form_data["password"])
        with app.app_context():
            assert _user(world.password_buyer).check_password(current[-1])


@fuzz(25)
@given(data=st.data())
def test_language(app, world, probes, data):
    """The account's own language, on the account page (a page's is its address's)."""
    probe = probes(world.language_buyer, "/account")
    with app.app_context():
        before = _user(world.language_buyer).locale
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(full_name=st.just("Asha Verma"),
                                   locale=st.sampled_from(("en", "hi")))),
        full_name=text("Asha Verma"), locale=text("en", "hi")))
    answer = probe.post("/account", form_data)
    if answer.accepted:
        with app.app_context():
            chosen = _user(world.language_buyer).locale
        sent_locale = trimmed(form_data.get("locale"))
        assert chosen == (sent_locale or before or "en")
        assert answer.response.location == ("/hi/account" if chosen == "hi" else "/account")


SCOPES = ("read", "seller:write", "staff")


@fuzz(30)
@given(data=st.data())
def test_api_token(app, world, probes, data):
    """A new API token: its secret is the answer itself (200), so that is acceptance here."""
    probe = probes(world.lister_email, "/account/api-tokens")
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(name=short_text(80), scopes=st.just(["read"]),
                                   expires_in_days=st.sampled_from(("7", "30", "90", "365")))),
        name=text("Shop app"), scopes=many(text(*SCOPES)),
        expires_in_days=text("7", "30", "90", "365")))
    answer = probe.post("/account/api-tokens", form_data, echoed=("name",),
                        accepted=lambda response, flashes: response.status_code == 200)
    if answer.accepted:
        with app.app_context():
            token = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
            assert token.name == trimmed(form_data["name"]).strip()
            assert token.scope_set <= {"read", "seller:write"}
            name = token.name
        assert str(escape(name)) in answer.page
        with app.test_request_context():  # room for the next examples' tokens
            api_tokens.revoke_token(_user(world.lister_email), token.id)


# --- Seller onboarding ----------------------------------------------------------------------------

PDF = make_pdf()
SECTION_BUTTONS = dict(save_continue=BUTTON, save_later=BUTTON)
SELLER_TYPES = tuple(t.value for t in SellerType)


def section_form(name: str, world):
    fields = {
        "products": lambda: dict(
            seller_type=text(*SELLER_TYPES), state_lgd_code=text("9", "30", "09", "९"),
            district_lgd_code=text("171", "187", "551"),
            product_ids=many(text(*world.product_ids)), refresh=BUTTON),
        "business": lambda: dict(
            legal_name=text("Asha Handlooms"), display_name=text("Asha Looms", "आशा करघा"),
            year_started=text("1998", "१९९८", "1900", "2100"), story=text("We weave. हम बुनते हैं।"),
            languages=text("Hindi, Bhojpuri"), grievance_name=text("Asha Verma"),
            grievance_phone=text(*MOBILES), grievance_email=text(*EMAILS)),
        "pan": lambda: dict(
            pan=text(VALID_PAN, "ABCCE1234F", "ABCPE1234"), pan_name=text("ASHA VERMA"),
            pan_card=weighted((3, st.just(ABSENT)), (1, upload(st.just(PDF), "pan.pdf")))),
        "aadhaar": lambda: dict(aadhaar=text(VALID_AADHAAR, "2341 2341 2346", "123412341234"),
                                save=BUTTON),
        "udyam": lambda: dict(udyam_number=text("UDYAM-UP-12-0001234", "UDYAM-GA-01-0000001")),
        "gst": lambda: dict(
            gst_mode=text("registered", "exempt"),
            gstin=text(VALID_GSTIN, LADAKH_GSTIN, "27ABCPE1234F1Z5"),
            gst_exemption=text(*(e.value for e in GstExemption)),
            gst_enrolment_id=text("091234567890ABC")),
        "bank": lambda: dict(
            bank_holder_name=text("Asha Verma"), bank_account_number=text("123456789012"),
            bank_account_confirm=text("123456789012"), bank_ifsc=text("SBIN0001234")),
        "address": lambda: dict(
            address_line1=text("1 Loom Lane", "१ करघा गली"), address_line2=text("Lallapura"),
            address_city=text("Varanasi", "वाराणसी"), address_pin=text(*PINS)),
        "certificates": lambda: dict(sells_processed_food=BOOLISH,
                                     fssai_number=text("12345678901234", "22345678901234")),
        "declarations": lambda: dict(accept_terms=BOOLISH),
    }[name]()
    if name != "aadhaar":
        fields.update(SECTION_BUTTONS)
    valid = {
        "business": lambda: dict(
            legal_name=short_text(200), display_name=short_text(120),
            year_started=st.sampled_from(("1998", "१९९८", "")), story=short_text(2000),
            languages=short_text(200), grievance_name=short_text(120),
            grievance_phone=identifier(*MOBILES[:6]),
            grievance_email=identifier("asha@example.com", "अनु@example.com")),
        "pan": lambda: dict(pan=identifier(VALID_PAN), pan_name=short_text(120)),
        "aadhaar": lambda: dict(aadhaar=identifier(VALID_AADHAAR, "2341 2341 2346")),
        "udyam": lambda: dict(udyam_number=identifier("UDYAM-UP-12-0001234")),
        "gst": lambda: dict(gst_mode=st.just("registered"),
                            gstin=identifier(VALID_GSTIN, LADAKH_GSTIN)),
        "bank": lambda: dict(bank_holder_name=short_text(120),
                             bank_account_number=identifier("123456789012"),
                             bank_ifsc=identifier("SBIN0001234")),
        "address": lambda: dict(address_line1=short_text(200), address_line2=short_text(200),
                                address_city=short_text(120), address_pin=identifier(*PINS[:3])),
        "certificates": lambda: dict(sells_processed_food=st.sampled_from(("", "y")),
                                     fssai_number=identifier("12345678901234")),
    }.get(name)
    if valid is not None:
        valid = st.fixed_dictionaries(valid())
        if name == "bank":  # typed twice, as the form asks
            valid = valid.map(lambda answers: {
                **answers, "bank_account_confirm": answers["bank_account_number"]})
    return form(valid, **fields)


ECHOED = {
    "business": ("legal_name", "display_name", "story", "languages", "grievance_name",
                 "grievance_phone", "grievance_email", "year_started"),
    "pan": ("pan", "pan_name"), "udyam": ("udyam_number",), "gst": ("gstin",),
    "bank": ("bank_holder_name", "bank_ifsc"),
    "address": ("address_line1", "address_line2", "address_city", "address_pin"),
    "certificates": ("fssai_number",),
}


def checked_or_none(check, value, *args, **kwargs):
    value = trimmed(value)
    return check(value, *args, **kwargs) if value else None


def stored_section(seller: Seller, name: str, data: dict) -> dict:
    """What the service stores of a section's answers, by its documented rules (by column)."""
    get = data.get
    if name == "business":
        return {"legal_name": stripped(get("legal_name"), 200),
                "display_name": stripped(get("display_name"), 120),
                "story": stripped(get("story"), 2000),
                "languages": stripped(get("languages"), 200),
                "grievance_name": stripped(get("grievance_name"), 120),
                "grievance_phone": checked_or_none(normalise_mobile, get("grievance_phone")),
                "grievance_email": checked_or_none(normalise_email, get("grievance_email"))}
    if name == "pan":
        kind = seller.type_enum
        return {"pan": checked_or_none(validate_pan, get("pan"), kind and kind.pan_letters,
                                       kind and kind.pan_holder),
                "pan_name": stripped(get("pan_name"), 120)}
    if name == "udyam":
        return {"udyam_number": checked_or_none(validate_udyam, get("udyam_number"),
                                                lgd_state_code=seller.state_lgd_code)}
    if name == "gst" and get("gst_mode") == "registered":
        return {"gstin": checked_or_none(validate_gstin, get("gstin"),
                                         lgd_state_code=seller.state_lgd_code,
                                         pan_number=seller.pan)}
    if name == "bank":
        return {"bank_holder_name": stripped(get("bank_holder_name"), 120),
                "bank_ifsc": checked_or_none(validate_ifsc, get("bank_ifsc"))}
    if name == "address":
        return {"address_line1": stripped(get("address_line1"), 200),
                "address_line2": stripped(get("address_line2"), 200),
                "address_city": stripped(get("address_city"), 120),
                "address_pin": checked_or_none(validate_pin, get("address_pin"),
                                               lgd_state_code=seller.state_lgd_code)}
    if name == "aadhaar":
        return {"aadhaar_last4": validate_aadhaar(get("aadhaar"))[-4:]}
    return {}


def twelve_digit_runs(value: str) -> set[str]:
    return set(re.findall(r"[0-9]{12}", re.sub(r"[\s\-./]", "", ascii_digits(value or ""))))


@pytest.mark.parametrize("section", [key.value for key in SectionKey])
@fuzz(20)
@given(data=st.data())
def test_onboarding_section(app, world, probes, section, data):
    check_section(app, world, probes, section, data)


@fuzz(60)
@given(data=st.data())
def test_onboarding_gstin(app, world, probes, data):
    """More examples for the GSTIN: its checks have a path of their own for Ladakh (38)."""
    check_section(app, world, probes, "gst", data)


def check_section(app, world, probes, section, data):
    probe = probes(world.onboarding_email, "/seller/onboarding")
    form_data = data.draw(section_form(section, world))
    path = f"/seller/onboarding/{section}"
    answer = probe.post(path, form_data, echoed=ECHOED.get(section, ()))
    if section == "aadhaar":
        # Whatever was typed, the number never comes back on the page.
        for digits in twelve_digit_runs(form_data.get("aadhaar")):
            assert digits not in answer.page
    if answer.accepted:
        with app.app_context():
            seller = db.session.get(Seller, world.onboarding_seller)
            expected = stored_section(seller, section, form_data)
            assert {name: getattr(seller, name) for name in expected} == expected
        if section in ("business", "address"):
            shows(app, probe, path, *(value for value in expected.values()
                                      if isinstance(value, str)))


# --- Listings -------------------------------------------------------------------------------------

UNITS = tuple(u.value for u in Unit)
RATES = tuple(str(rate) for rate in GST_RATES)


def content_fields(product_id: int) -> dict:
    return dict(
        odop_product_id=text(str(product_id), "", "None", "0", "4", "2147483648"),
        # U+0958 (क़) is one character typed and two once normalised (NFC splits it).
        title=text("Banarasi saree", "बनारसी साड़ी", "\u0958" * 120),
        description=text("Silk, हाथ से बुनी", "\u0958" * 5000),
        unit=text(*UNITS), net_quantity=text("1", "500", "1.5", "0.001"),
        hsn_code=text("5007", "500790", "50079010"), gst_rate=text(*RATES),
        weight_grams=text("450", "100000"), length_cm=text("30", "1000"),
        width_cm=text("20"), height_cm=text("5"), country_of_origin=text("India", "भारत"),
        prepackaged=BOOLISH, manufacturer_name=text("Asha Looms"),
        manufacturer_address=text("1 Loom Lane, Varanasi"),
        manufactured_month=text("2026-10", "1999-01"), consumer_care=text("care@example.com"),
        save=BUTTON)


def valid_content(product_id: int):
    return st.fixed_dictionaries(dict(
        odop_product_id=st.just(str(product_id)),
        title=weighted((9, short_text(120)), (1, st.just("\u0958" * 120))),
        description=MIXED.filter(lambda value: len(value) <= 5000), unit=st.sampled_from(UNITS),
        net_quantity=st.sampled_from(("", "1", "500", "1.5")),
        hsn_code=st.sampled_from(("", "5007", "500790")), gst_rate=st.sampled_from(RATES),
        weight_grams=st.sampled_from(("", "450")), length_cm=st.sampled_from(("", "30")),
        country_of_origin=st.sampled_from(("India", "भारत")),
        prepackaged=st.sampled_from(("", "y")), manufacturer_name=short_text(200),
        manufacturer_address=short_text(400), manufactured_month=st.just("2026-10"),
        consumer_care=short_text(200)))


def price_fields(stock_now: int) -> dict:
    return dict(price=text(*AMOUNTS), mrp=text(*AMOUNTS), stock=text("5", "0", "1000000", "१०"),
                made_to_order=BOOLISH, lead_time_days=text("9", "180", "0"),
                stock_seen=text(str(stock_now)), back=text("index"))


def valid_prices(stock_now: int):
    return st.fixed_dictionaries(dict(
        price=st.sampled_from(("100", "1,250.50", "₹ 99", "१२५")), mrp=st.just("2,000"),
        stock=st.sampled_from(("5", "१०", "")), made_to_order=st.sampled_from(("", "y")),
        lead_time_days=st.just("9"), stock_seen=st.just(str(stock_now))))


def ticked(value) -> bool:
    """A BooleanField's reading of what was sent."""
    return value is not ABSENT and value not in ("", "false")


def check_content(content, data):
    """The listing's stored content is what was typed, NFC without joiners and stripped."""
    assert content.title == normalise(trimmed(data["title"])).strip()
    assert content.description == normalise(trimmed(data.get("description"))).strip()
    for name in ("manufacturer_name", "manufacturer_address", "consumer_care"):
        typed = trimmed(data.get(name)) or None
        assert getattr(content, name) == (typed if ticked(data.get("prepackaged")) else None)


CONTENT_ECHOED = ("title", "description", "net_quantity", "hsn_code", "weight_grams",
                  "length_cm", "width_cm", "height_cm", "country_of_origin",
                  "manufacturer_name", "manufacturer_address", "manufactured_month",
                  "consumer_care")
PRICE_ECHOED = ("price", "mrp", "stock", "lead_time_days")


def stock_of(app, listing_id) -> int:
    with app.app_context():
        return db.session.get(Listing, listing_id).stock


@fuzz(25)
@given(data=st.data())
def test_listing_new(app, world, probes, data):
    probe = probes(world.lister_email, "/seller/listings/new")
    form_data = data.draw(form(
        st.tuples(valid_content(world.product_id), valid_prices(0)).map(
            lambda parts: {**parts[0], **parts[1]}),
        **content_fields(world.product_id), **price_fields(0)))
    answer = probe.post("/seller/listings/new", form_data,
                        echoed=CONTENT_ECHOED + PRICE_ECHOED)
    if answer.accepted:
        listing_id = int(re.search(r"/seller/listings/([0-9]+)", answer.response.location)[1])
        with app.app_context():
            item = db.session.get(Listing, listing_id)
            check_content(item.working_content, form_data)
            assert item.price_paise == parse_rupees(form_data["price"])
            title = item.working_content.title
        shows(app, probe, f"/seller/listings/{listing_id}", title)


@fuzz(30)
@given(data=st.data())
def test_listing_content(app, world, probes, data):
    probe = probes(world.lister_email, f"/seller/listings/{world.content_item}")
    path = f"/seller/listings/{world.content_item}/content"
    form_data = data.draw(form(valid_content(world.product_id),
                               **content_fields(world.product_id)))
    answer = probe.post(path, form_data, echoed=CONTENT_ECHOED)
    if answer.accepted:
        with app.app_context():
            content = db.session.get(Listing, world.content_item).working_content
            check_content(content, form_data)
            shown = (content.title, content.description)
        shows(app, probe, f"/seller/listings/{world.content_item}", *shown)


@fuzz(30)
@given(data=st.data())
def test_listing_price_and_stock(app, world, probes, data):
    probe = probes(world.lister_email, f"/seller/listings/{world.price_item}")
    stock_now = stock_of(app, world.price_item)
    form_data = data.draw(form(valid_prices(stock_now), **price_fields(stock_now)))
    answer = probe.post(f"/seller/listings/{world.price_item}/price", form_data,
                        echoed=PRICE_ECHOED)
    if answer.accepted:
        with app.app_context():
            item = db.session.get(Listing, world.price_item)
            assert item.price_paise == parse_rupees(form_data["price"])
            assert item.mrp_paise == parse_rupees(form_data["mrp"])


def first_photo(app, listing_id) -> int:
    """The first photo of the seller's version, adding one when none is left."""
    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        if not item.working_content.photos:
            listings.add_photos(item.seller, item, [listings.PhotoUpload("a.jpg", make_jpeg())])
            item = db.session.get(Listing, listing_id)
        return item.working_content.photos[0].id


@fuzz(20)
@given(data=st.data())
def test_listing_photo_change(app, world, probes, data):
    probe = probes(world.lister_email, f"/seller/listings/{world.photo_item}")
    photo = first_photo(app, world.photo_item)
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(action=st.sampled_from(("remove", "up", "down", "cover")))),
        action=text("remove", "up", "down", "cover")))
    probe.post(f"/seller/listings/{world.photo_item}/photos/{photo}", form_data)


SMALL_JPEG = make_jpeg(320, 320)


@fuzz(12)
@given(data=st.data())
def test_listing_photo_upload(app, world, probes, data):
    probe = probes(world.lister_email, f"/seller/listings/{world.photo_item}")
    photos = many(upload(weighted((4, st.binary(max_size=300)),
                                  (4, MIXED.map(lambda value: value.encode())),
                                  (1, st.just(SMALL_JPEG))), "cushion.jpg"), most=3)
    form_data = data.draw(form(photos=photos, upload=BUTTON))
    probe.post(f"/seller/listings/{world.photo_item}/photos", form_data)


@fuzz(20)
@given(data=st.data())
def test_listing_status(app, world, probes, data):
    probe = probes(world.lister_email, f"/seller/listings/{world.status_item}")
    one_button = st.sampled_from(("submit_review", "unpublish", "republish")).map(
        lambda name: {name: "y"})
    form_data = data.draw(form(one_button, submit_review=BUTTON, unpublish=BUTTON,
                               republish=BUTTON))
    probe.post(f"/seller/listings/{world.status_item}/status", form_data)


# --- Cart, checkout and orders --------------------------------------------------------------------

QUANTITIES = ("1", "2", "१", "9999", "0", "01")


def cart_quantity(app, email, listing_id) -> int:
    with app.app_context():
        cart = db.session.scalar(select(Cart).where(Cart.user_id == _user(email).id))
        return next((item.quantity for item in cart.items if item.listing_id == listing_id),
                    0) if cart else 0


def quantity_form():
    return form(st.fixed_dictionaries(dict(quantity=st.sampled_from(QUANTITIES))),
                quantity=text(*QUANTITIES))


@fuzz(25)
@given(data=st.data())
def test_cart_add(app, world, probes, data):
    probe = probes(world.cart_buyer, "/cart")
    before = cart_quantity(app, world.cart_buyer, world.item)
    form_data = data.draw(quantity_form())
    answer = probe.post(f"/cart/add/{world.item}", form_data)
    if answer.accepted:
        typed = form_data["quantity"]
        added = 1 if typed is ABSENT else int(ascii_digits(trimmed(typed)).strip())  # the form's default
        assert cart_quantity(app, world.cart_buyer, world.item) == before + added


@fuzz(25)
@given(data=st.data())
def test_cart_update(app, world, probes, data):
    probe = probes(world.cart_buyer, "/cart")
    if not cart_quantity(app, world.cart_buyer, world.hindi_item):
        with app.test_request_context():
            cart_service.add(_user(world.cart_buyer), {}, world.hindi_item, "1")
    form_data = data.draw(quantity_form())
    answer = probe.post(f"/cart/items/{world.hindi_item}", form_data)
    if answer.accepted:
        assert cart_quantity(app, world.cart_buyer, world.hindi_item) == int(
            ascii_digits(trimmed(form_data["quantity"])).strip())


def ready_to_check_out(app, email, listing_id) -> str:
    """Something in the buyer's cart; the fingerprint of the summary they would see."""
    with app.test_request_context():
        buyer = _user(email)
        if not cart_service.lines(buyer, {}):
            cart_service.add(buyer, {}, listing_id, "1")
        return checkout_service.summarise(buyer, {}).fingerprint


@fuzz(30)
@given(data=st.data())
def test_checkout(app, world, probes, data):
    probe = probes(world.checkout_buyer, "/cart")
    fingerprint = ready_to_check_out(app, world.checkout_buyer, world.item)
    valid = st.fixed_dictionaries(dict(
        name=short_text(120), phone=GOOD_MOBILE, line1=short_text(200),
        line2=MIXED.filter(lambda value: len(value) <= 200), city=short_text(80),
        state=st.just("9"), pin=st.sampled_from(("221001", "221005", "२२१००१")),
        payment_method=st.sampled_from(("cod", "card")), fingerprint=st.just(fingerprint)))
    form_data = data.draw(form(
        valid, name=text("Asha Verma"), phone=text(*MOBILES), line1=text("12 Lanka Road"),
        line2=text("Near the ghat"), city=text("Varanasi", "वाराणसी"),
        state=text("9", "30", "09", "999"), pin=text(*PINS),
        payment_method=text("cod", "card"), fingerprint=text(fingerprint)))
    echoed = ("name", "phone", "line1", "line2", "city", "pin")
    # A refused order answers 303 to the checkout page (POST/redirect/GET), which shows it again.
    answer = probe.post("/checkout", form_data, echoed=echoed, accepted=lambda response, flashes:
                        redirected_without_error(response, flashes)
                        and not (response.location or "").endswith("/checkout"))
    if not answer.accepted and (answer.response.location or "").endswith("/checkout"):
        typed = [form_data.get(name) for name in echoed]
        shows(app, probe, "/checkout", *(trim_invisible_ends(value) for value in typed
                                         if isinstance(value, str) and not has_nul(form_data)))
    if answer.accepted:
        reference = answer.response.location.rsplit("/", 1)[-1]
        with app.app_context():
            placed = db.session.scalar(select(Checkout).where(Checkout.reference == reference))
            assert placed.delivery_name == one_space(form_data["name"])
            assert placed.delivery_line1 == one_space(form_data["line1"])
            assert placed.delivery_line2 == (one_space(form_data.get("line2")) or None)
            assert placed.delivery_city == one_space(form_data["city"])
            assert placed.delivery_phone == normalise_mobile(trimmed(form_data["phone"]))
        shows(app, probe, f"/orders/{reference}", one_space(form_data["name"]))


def open_order(app, holder, world):
    """The order a test works on; a new one once it is cancelled or delivered."""
    with app.app_context():
        order = db.session.get(Order, holder.id) if getattr(holder, "id", None) else None
        done = order is None or order.status in ("cancelled", "delivered", "refunded")
    if done:
        placed = new_order(app, world.order_buyer, world.item)
        holder.id, holder.reference = placed.id, placed.reference
    return holder


def check_cancelled(app, order_id, reason):
    with app.app_context():
        order = db.session.get(Order, order_id)
        assert order.status == "cancelled"
        assert order.cancel_reason == (one_space(reason) or None)


@fuzz(25)
@given(data=st.data())
def test_buyer_cancels_an_order(app, world, probes, data):
    probe = probes(world.order_buyer, "/orders")
    order = open_order(app, probe, world)
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(reason=MIXED.filter(lambda value: len(value) <= 500))),
        reason=text("Ordered twice")))
    answer = probe.post(f"/orders/{order.reference}/{order.id}/cancel", form_data)
    if answer.accepted:
        check_cancelled(app, order.id, form_data.get("reason"))


@fuzz(25)
@given(data=st.data())
def test_seller_cancels_an_order(app, world, probes, data):
    probe = probes(world.shop_seller_email, "/seller/orders")
    order = open_order(app, probe.__dict__.setdefault("cancelling", SimpleNamespace()), world)
    form_data = data.draw(form(st.fixed_dictionaries(dict(reason=short_text(500))),
                               reason=text("Out of silk")))
    answer = probe.post(f"/seller/orders/{order.id}/cancel", form_data)
    if answer.accepted:
        check_cancelled(app, order.id, form_data["reason"])


@fuzz(30)
@given(data=st.data())
def test_seller_next_step(app, world, probes, data):
    probe = probes(world.shop_seller_email, "/seller/orders")
    order = open_order(app, probe.__dict__.setdefault("shipping", SimpleNamespace()), world)
    with app.app_context():
        step = db.session.get(Order, order.id).seller_next.value
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(step=st.just(step), carrier=short_text(80),
                                   tracking=st.sampled_from(("EE123456789IN", "१२३ ४५६")))),
        step=text("accepted", "packed", "shipped", "delivered"), carrier=text("India Post"),
        tracking=text("EE123456789IN")))
    answer = probe.post(f"/seller/orders/{order.id}/next", form_data)
    if answer.accepted:
        with app.app_context():
            stored = db.session.get(Order, order.id)
            assert stored.status == step
            if step == "shipped":
                assert stored.carrier == one_space(form_data["carrier"])
                assert stored.tracking_number == "".join(form_data["tracking"].split())


# --- Search and the filters of lists (GET forms: nothing is ever stored) --------------------------

SECTOR_VALUES = tuple(term.value for term in SECTORS)
QUERIES = ("saree", "साड़ी", "बनारसी", "silk*", '"silk"', "NEAR(a b)", "a OR b", "title:silk",
           "-silk", "s\u200dilk", "सा\u200dड़ी", "साड़ी", "ड़", "\u0301", "²", "ﬀ", "a & b | !c",
           "x:*", "(", "'", "\\", "%_")


@fuzz(30)
@given(data=st.data())
def test_search(app, world, data):
    probe = Probe(app)
    form_data = data.draw(form(
        q=text(*QUERIES), sector=text(*SECTOR_VALUES), state=text("9", "30"),
        district=text("187", "171"), min_price=text(*AMOUNTS), max_price=text(*AMOUNTS),
        gi=BOOLISH, in_stock=BOOLISH, sort=text(*SORTS), page=text("1", "2", "10000")))
    answer = probe.get("/search", form_data, echoed=("min_price", "max_price"))
    query = trimmed(form_data.get("q"))
    if query and not has_nul(form_data):  # the search box shows the words, stripped
        assert str(escape(query)) in answer.page


FILTERS = {
    "/staff/sellers": lambda: dict(
        state=text("9", "30"), district=text("187"), seller_type=text(*SELLER_TYPES),
        sector=text(*SECTOR_VALUES),
        status=text("waiting", "approved", "changes_requested", "suspended", "draft", "all"),
        apply=BUTTON),
    "/staff/listings": lambda: dict(
        state=text("9"), district=text("187"), sector=text(*SECTOR_VALUES), seller=text("1"),
        status=text("waiting", "live", "changes_requested", "unpublished", "removed", "draft",
                    "all")),
    "/staff/orders": lambda: dict(status=text("confirmed", "shipped"), state=text("9"),
                                  seller=text("1"), payment=text("cod", "card")),
    "/staff/users": lambda: dict(role=text("buyer", "seller", "staff", "admin"),
                                 q=text("asha", "%", "_", "\\"), suspended=BOOLISH,
                                 page=text("1", "2", "2147483647")),
    "/staff": lambda: dict(sort=text("name", "districts", "sellers"), order=text("desc", "asc"),
                           gap_state=text("9"), gap_page=text("1", "2147483647")),
    "/seller/orders": lambda: dict(status=text("confirmed", "shipped", "cancelled")),
    "/staff/reference/preview/{sha}": lambda: {
        name: text("1", "2", "-1", "2147483648") for name in
        ("added", "changed", "retired", "corrected", "rejected")},
}
EXPORTS = {"/staff/sellers/export.csv": "/staff/sellers",
           "/staff/listings/export.csv": "/staff/listings",
           "/staff/orders/export.csv": "/staff/orders"}


@pytest.mark.parametrize("path", [*FILTERS, *EXPORTS])
@fuzz(12)
@given(data=st.data())
def test_list_filters(app, world, probes, path, data):
    who = world.shop_seller_email if path.startswith("/seller") else world.admin
    probe = probes(who)
    form_data = data.draw(form(**FILTERS[EXPORTS.get(path, path)]()))
    # An export writes one line to the audit log, whatever the filters.
    answer = probe.get(path.format(sha=world.reference_sha), form_data,
                       may_change=("audit_entry",) if path in EXPORTS else ())
    assert answer.response.status_code == (400 if has_nul(form_data) else 200)


@fuzz(30)
@given(data=st.data())
def test_audit_log_filters(app, world, probes, data):
    probe = probes(world.admin)
    form_data = data.draw(form(
        actor=text(world.admin, "system", "SYSTEM", "nobody@example.com"),
        object_type=text(*OBJECT_TYPES), object_id=text("1", "42", "2147483648"),
        action=text("status", "placed", "section:pan"),
        date_from=text("2026-11-23", "23/11/2026", "२०२६-११-२३", "2026-02-30", "1999-01-01"),
        date_to=text("2026-11-23", "23.11.2026", "3000-01-01"), before=text("1", "99"),
        after=text("1")))
    probe.get("/staff/audit", form_data,
              echoed=("actor", "object_id", "action", "date_from", "date_to"))


# --- Staff: review decisions ---------------------------------------------------------------------

NOTE = text("Blurred photo of the PAN card", "पैन कार्ड की फ़ोटो धुंधली है")


def latest_audit_note(app, object_type, object_id) -> str:
    with app.app_context():
        return db.session.scalar(select(AuditEntry.note).where(
            AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
            .order_by(AuditEntry.id.desc()).limit(1))


def one_of_buttons(*names):
    return st.sampled_from(names).map(lambda name: {name: "y"})


@fuzz(30)
@given(data=st.data())
def test_staff_section_decision(app, world, probes, data):
    probe = probes(world.admin, f"/staff/sellers/{world.sections_seller}")
    section = data.draw(st.sampled_from([key.value for key in SectionKey] + ["nope"]))
    form_data = data.draw(form(
        st.tuples(one_of_buttons("verify", "needs_changes"),
                  st.fixed_dictionaries(dict(note=short_text(2000)))).map(
            lambda parts: {**parts[0], **parts[1]}),
        note=NOTE, verify=BUTTON, needs_changes=BUTTON))
    answer = probe.post(f"/staff/sellers/{world.sections_seller}/sections/{section}", form_data)
    if answer.accepted:
        with app.app_context():
            row = db.session.get(Seller, world.sections_seller).section(SectionKey(section))
            verified = ticked(form_data.get("verify"))
            assert row.status == ("verified" if verified else "needs_changes")
            assert row.reviewer_note == (None if verified else trimmed(form_data["note"]))


@fuzz(20)
@given(data=st.data())
def test_staff_seller_decision(app, world, probes, data):
    probe = probes(world.admin, "/staff/sellers")
    seller_id = probe.__dict__.setdefault("deciding", [world.decision_seller])[-1]
    form_data = data.draw(form(
        st.tuples(one_of_buttons("approve", "request_changes"),
                  st.fixed_dictionaries(dict(note=short_text(2000)))).map(
            lambda parts: {**parts[0], **parts[1]}),
        note=NOTE, approve=BUTTON, request_changes=BUTTON))
    answer = probe.post(f"/staff/sellers/{seller_id}/decision", form_data)
    if answer.accepted:
        assert latest_audit_note(app, "seller", seller_id) == trimmed(form_data.get("note"))
        probe.deciding.append(verified_submission(app, world.admin))  # the next one to decide


@fuzz(20)
@given(data=st.data())
def test_staff_suspension(app, world, probes, data):
    probe = probes(world.admin, f"/staff/sellers/{world.suspension_seller}")
    form_data = data.draw(form(
        st.tuples(one_of_buttons("suspend", "reinstate"),
                  st.fixed_dictionaries(dict(note=short_text(2000)))).map(
            lambda parts: {**parts[0], **parts[1]}),
        note=NOTE, suspend=BUTTON, reinstate=BUTTON))
    answer = probe.post(f"/staff/sellers/{world.suspension_seller}/suspension", form_data)
    if answer.accepted:
        assert latest_audit_note(app, "seller", world.suspension_seller) == (
            trimmed(form_data["note"]))


def submitted_listing(app, world) -> tuple[int, str]:
    with app.app_context():
        item = db.session.get(Listing, world.review_item)
        if item.status != "submitted":
            item = None
    if item is None:
        world.review_item = make_listing(app, world.lister, "Jamdani saree", stock="50",
                                         approve=False)
    with app.app_context():
        return world.review_item, db.session.get(Listing, world.review_item).submitted_at.isoformat()


REASON_CODES = tuple(code.value for code in ReasonCode)


@fuzz(25)
@given(data=st.data())
def test_staff_listing_decision(app, world, probes, data):
    probe = probes(world.admin, "/staff/listings")
    listing_id, seen = submitted_listing(app, world)
    form_data = data.draw(form(
        st.tuples(one_of_buttons("approve", "request_changes", "remove"),
                  st.fixed_dictionaries(dict(note=short_text(2000),
                                             reasons=many(st.sampled_from(REASON_CODES)),
                                             submission=st.just(seen)))).map(
            lambda parts: {**parts[0], **parts[1]}),
        reasons=many(text(*REASON_CODES)), note=NOTE, submission=text(seen), approve=BUTTON,
        request_changes=BUTTON, remove=BUTTON))
    answer = probe.post(f"/staff/listings/{listing_id}/decision", form_data)
    if answer.accepted:
        with app.app_context():
            item = db.session.get(Listing, listing_id)
            assert item.review_note == (trimmed(form_data.get("note")) or None)


# --- Staff: accounts, settings, settlements, the ODOP list ---------------------------------------

@fuzz(25)
@given(data=st.data())
def test_staff_new_account(app, world, probes, data):
    probe = probes(world.admin, "/staff/users/new")
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(full_name=short_text(120), email=UNIQUE_EMAIL,
                                   role=st.sampled_from(("staff", "admin")),
                                   all_india=st.sampled_from(("", "y")))),
        full_name=text("Meera Rao"), email=text(*EMAILS), role=text("staff", "admin", "buyer"),
        all_india=BOOLISH))
    answer = probe.post("/staff/users/new", form_data, echoed=("full_name", "email"))
    if answer.accepted:
        with app.app_context():
            user = _user(normalise_email(trimmed(form_data["email"])))
            assert user.full_name == trimmed(form_data["full_name"])[:120]
            role = form_data.get("role")
            assert user.role == ("staff" if role is ABSENT else role)  # the form's default


@fuzz(15)
@given(data=st.data())
def test_staff_user_role(app, world, probes, data):
    probe = probes(world.admin, "/staff/users")
    target = probe.__dict__.setdefault("target", str(_id_of(app, world.staff_target)))
    form_data = data.draw(form(st.fixed_dictionaries(dict(role=st.sampled_from(("staff",
                                                                                 "admin")))),
                               role=text("staff", "admin", "buyer")))
    probe.post(f"/staff/users/{target}/role", form_data)


def _id_of(app, email) -> int:
    with app.app_context():
        return _user(email).id


@fuzz(20)
@given(data=st.data())
def test_staff_user_status(app, world, probes, data):
    probe = probes(world.admin, "/staff/users")
    target = _id_of(app, world.staff_target)
    form_data = data.draw(form(
        st.tuples(one_of_buttons("suspend", "reinstate"),
                  st.fixed_dictionaries(dict(reason=short_text(2000)))).map(
            lambda parts: {**parts[0], **parts[1]}),
        reason=NOTE, suspend=BUTTON, reinstate=BUTTON))
    answer = probe.post(f"/staff/users/{target}/status", form_data, echoed=("reason",))
    if answer.accepted:
        assert latest_audit_note(app, "user", target) == trimmed(form_data["reason"])


@fuzz(15)
@given(data=st.data())
def test_staff_user_all_india(app, world, probes, data):
    probe = probes(world.admin, "/staff/users")
    form_data = data.draw(form(all_india=BOOLISH))
    probe.post(f"/staff/users/{_id_of(app, world.staff_target)}/all-india", form_data)


@fuzz(20)
@given(data=st.data())
def test_staff_user_places(app, world, probes, data):
    probe = probes(world.admin, "/staff/users")
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(state=st.sampled_from(("9", "30")),
                                   district=st.sampled_from(("", "171", "187", "551")))),
        state=text("9", "30", "09"), district=text("171", "187", "551", "")))
    probe.post(f"/staff/users/{_id_of(app, world.staff_target)}/places", form_data)


@fuzz(25)
@given(data=st.data())
def test_staff_settings(app, world, probes, data):
    probe = probes(world.admin, "/staff/settings")
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(charge=st.sampled_from(("60", "0", "99.50", "१००")),
                                   free_from=st.sampled_from(("999", "0", "1,500")),
                                   commission=st.sampled_from(("2.5", "0", "100", "2.5 %")))),
        charge=text("60", "0", "99.50"), free_from=text("999", "0"),
        commission=text("2.5", "0", "100", "2.5%")))
    answer = probe.post("/staff/settings", form_data,
                        echoed=("charge", "free_from", "commission"))
    if answer.accepted:
        with app.app_context():
            now = marketplace_settings.current()
        charge = form_data["charge"]
        if charge is not ABSENT:  # left out, the field keeps the current setting
            assert now["delivery_charge_paise"] == (
                0 if re.fullmatch(r"\s*0+(\.0{1,2})?\s*", charge) else parse_rupees(charge))


TODAY = date.today()
DATES = ((TODAY - timedelta(days=1)).isoformat(), "2026-01-20", "20/11/2026",
         "२०२६-०१-२०", (TODAY + timedelta(days=30)).isoformat(), "2026-02-30")


@fuzz(30)
@given(data=st.data())
def test_staff_payout(app, world, probes, data):
    probe = probes(world.admin, f"/staff/settlements/{world.shop_seller}")
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(
            amount=st.sampled_from(("100", "1,250.50", "१००")),
            paid_on=st.sampled_from(DATES[:2]),
            bank_reference=st.text(string.ascii_uppercase + string.digits, min_size=4,
                                   max_size=30).map(lambda value: f"UTR{value}"),
            note=MIXED.filter(lambda value: len(value) <= 500))),
        amount=text(*AMOUNTS), paid_on=text(*DATES), bank_reference=text("UTR12345678"),
        note=text("March payout")))
    answer = probe.post(f"/staff/settlements/{world.shop_seller}/payouts", form_data,
                        echoed=("amount", "paid_on", "bank_reference", "note"))
    if answer.accepted:
        with app.app_context():
            entry = db.session.scalar(select(LedgerEntry).order_by(LedgerEntry.id.desc()))
            assert entry.kind == "payout"
            assert entry.note == trimmed(form_data.get("note"))
            assert entry.bank_reference == "".join(form_data["bank_reference"].split()).upper()
            assert entry.amount_paise == -parse_rupees(form_data["amount"])


@fuzz(25)
@given(data=st.data())
def test_staff_correction(app, world, probes, data):
    probe = probes(world.admin, f"/staff/settlements/{world.shop_seller}")
    form_data = data.draw(form(
        st.fixed_dictionaries(dict(amount=st.sampled_from(("100", "-50", "−25.50", "+10")),
                                   corrects=st.sampled_from(("", world.ledger_entry)),
                                   reason=short_text(2000))),
        amount=text("100", "-50", "−25.50", "+10"), corrects=text(world.ledger_entry, ""),
        reason=text("Double credit")))
    answer = probe.post(f"/staff/settlements/{world.shop_seller}/corrections", form_data,
                        echoed=("amount", "corrects", "reason"))
    if answer.accepted:
        with app.app_context():
            entry = db.session.scalar(select(LedgerEntry).order_by(LedgerEntry.id.desc()))
            assert entry.kind == "adjustment"
            assert entry.note == trimmed(form_data["reason"])


@fuzz(15)
@given(data=st.data())
def test_staff_reference_upload(app, world, probes, data):
    probe = probes(world.admin, "/staff/reference")
    extra = [["Uttar Pradesh", "Zari Zardozi", "Varanasi", "187", "Secondary", "Handicraft", "",
              "No", "", ""]]
    contents = weighted((3, st.binary(max_size=400)),
                        (3, MIXED.map(lambda value: value.encode("utf-8"))),
                        (2, MIXED.map(lambda value: reference_csv([[value] * 10], "utf-8"))),
                        (1, st.just(reference_csv(extra))))
    form_data = data.draw(form(list_file=upload(contents, "ODOP_v33.csv"), upload=BUTTON))
    probe.post("/staff/reference", form_data)


@fuzz(15)
@given(data=st.data())
def test_staff_reference_apply(app, world, probes, data):
    probe = probes(world.admin, "/staff/reference")
    form_data = data.draw(form(sha256=text(world.reference_sha, world.reference_sha.upper(),
                                           "../" + world.reference_sha),
                               allow_mass_retire=BOOLISH, apply=BUTTON))
    probe.post("/staff/reference/apply", form_data)


# --- Forms with no fields: only a button and the CSRF token --------------------------------------

BUTTON_ONLY = {
    "resend verification": ("misc_buyer", "/verify-email/resend"),
    "remove Aadhaar": ("misc_seller_email", "/seller/onboarding/aadhaar/remove"),
    "remove a document": ("misc_seller_email", "/seller/documents/{document}/remove"),
    "submit application": ("misc_seller_email", "/seller/onboarding/submit"),
    "remove from cart": ("cart_buyer", "/cart/items/{item}/remove"),
    "post credits": ("admin", "/staff/settlements/post"),
    "remove a place": ("admin", "/staff/users/{staff}/places/{place}/remove"),
    "log out": ("misc_buyer", "/logout"),
}


def button_path(app, world, path: str) -> str:
    with app.app_context():
        seller = db.session.get(Seller, world.misc_seller)
        staff = _user(world.staff_target)
        return path.format(
            item=world.hindi_item, staff=staff.id,
            document=seller.documents[0].id if seller.documents else 1,
            place=staff.scopes[0].id if staff.scopes else 1)


@pytest.mark.parametrize("name", BUTTON_ONLY)
@fuzz(8)
@given(data=st.data())
def test_button_only_forms(app, world, probes, name, data):
    """Whatever else comes with the request is ignored; nothing breaks."""
    who, path = BUTTON_ONLY[name]
    # Logging out ends the session, so that browser logs in afresh each time.
    probe = Probe(app, getattr(world, who)) if name == "log out" else probes(getattr(world, who))
    junk = data.draw(st.dictionaries(st.text(string.ascii_letters + "_", min_size=1,
                                             max_size=12).filter(lambda k: k != "csrf_token"),
                                     text(), max_size=3))
    probe.post(button_path(app, world, path), junk)


def test_ci_repeats_its_examples_and_the_deeper_run_draws_new_ones():
    """The fixed set makes a CI failure repeatable; ODOP_FUZZ_RANDOM=1 must really search."""
    def drawn(environ) -> list[int]:
        seen = []

        @fuzz(20, environ)
        @given(st.integers(0, 2**64))
        def collect(number):
            seen.append(number)

        collect()
        return seen

    assert drawn({}) == drawn({}) and len(drawn({})) == 20
    deeper, again = drawn({"ODOP_FUZZ_RANDOM": "1"}), drawn({"ODOP_FUZZ_RANDOM": "1"})
    assert len(deeper) == len(again) == 200 and set(deeper) != set(again)
    assert len(drawn({"ODOP_FUZZ_RANDOM": "1", "ODOP_FUZZ_SCALE": "2"})) == 40
