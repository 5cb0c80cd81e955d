"""Mail leaves through a real SMTP conversation, or lands in files in development; every kind of
email reaches its reader in the language they chose."""

import email
import email.policy
import re
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from flask_babel import force_locale, gettext
from jinja2.ext import babel_extract
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.mail import send_mail
from odop_bazaar.models import Listing, Order, Role, SectionKey, Seller, User
from odop_bazaar.services import sellers as onboarding
from odop_bazaar.services.complaints import tickets as complaints
from odop_bazaar.services.orders import bank_refunds
from tests.checkout_helpers import add, place
from tests.conftest import log_in, submit
from tests.factories import PASSWORD, admin_user, listing, make_places, make_seller, make_user, shop
from tests.refund_helpers import PAYEE, cod_order

ROOT = Path(__file__).resolve().parent.parent


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_a_password_reset_in_hindi_goes_out_over_smtp(app, client, smtp_server):
    controller, inbox = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    address = make_user(app, locale="hi")
    submit(client, "/forgot-password", {"email": address})
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == address
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "/reset-password/" in body
    # The body itself, not only the signature (which was Hindi while the body was English).
    assert "नया पासवर्ड चुनने के लिए यह लिंक खोलें:" in body and "Someone asked" not in body


def test_the_file_backend_writes_one_message_per_file(app, tmp_path):
    app.config.update(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "mail"))
    with app.test_request_context():
        send_mail("asha@example.com", "नमस्ते", "आपका स्वागत है")
        db.session.commit()  # written to the outbox, delivered after the commit
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "asha@example.com" and parsed["Subject"] == "नमस्ते"
    assert parsed.get_content().strip() == "आपका स्वागत है"


# --- Every kind of email, in the recipient's language ---------------------------------------
#
# Each scenario sends one kind of email the way the app does (a person pressing the button that
# sends it) to a recipient whose stored language is `lang`, and returns that recipient's address
# and the values the expected sentences are filled with. Notes and reasons are always given, so
# the optional paragraphs are written too.

NAME = "Asha O'Neil & Sons"  # what HTML escaping would change: a plain-text mail keeps it as typed
TITLE = "Silk & zari saree"
NOTE = "Looks fine to us"
EMAIL_TEMPLATES = ROOT / "templates" / "email"


def in_language(path: str, lang: str) -> str:
    """The address of this page in `lang`."""
    return path if lang == "en" else f"/{lang}{path}"


def links(body: str) -> list[str]:
    """The paths of the site's links in an email."""
    return re.findall(r"http://localhost(/\S*)", body)


def speaks(app, email: str, lang: str) -> None:
    """Store this person's name and language, as the account page does."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.full_name, user.locale = NAME, lang
        db.session.commit()


def logged_in(app, email: str):
    client = app.test_client()
    log_in(client, email)
    return client


def staff_client(app):
    return logged_in(app, make_user(app, Role.STAFF))


def admin_client(app, lang: str = "en"):
    with app.app_context():
        admin = admin_user()
        admin.locale = lang
        db.session.commit()
        email = admin.email
    return logged_in(app, email)


def seller_row(app, seller_id: int, decide=None):
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        staff = db.session.scalar(select(User).where(User.role == Role.STAFF)) or admin_user()
        for row in list(seller.sections):
            if row.status == "submitted":
                key = SectionKey(row.key)
                needs = decide is not None and key == decide
                onboarding.decide_section(seller, key, verified=not needs,
                                          note="The cheque photo is blurred" if needs else "",
                                          actor=staff)


def verify_email(app, lang):
    visitor = app.test_client()
    # A new account takes the language of the page it was made on.
    response = submit(visitor, in_language("/register", lang), {
        "account_type": "buyer", "full_name": NAME, "email": "asha@example.com", "mobile": "",
        "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return "asha@example.com", {}


def reset_password(app, lang):
    email = make_user(app)
    speaks(app, email, lang)
    submit(app.test_client(), "/forgot-password", {"email": email})
    return email, {}


def staff_invitation(app, lang):
    # A new account has no language of its own yet: it gets the one of the admin's page.
    response = submit(admin_client(app, lang), in_language("/staff/users/new", lang),
                      {"full_name": NAME, "email": "rekha@example.com", "role": "staff"})
    assert response.status_code == 303, response.get_data(as_text=True)
    return "rekha@example.com", {}


def seller_submitted(app, lang):
    make_places(app)
    email, _seller_id = make_seller(app, "complete")
    speaks(app, email, lang)
    response = submit(logged_in(app, email), "/seller/onboarding/submit", {},
                      token_from="/seller/onboarding")
    assert response.status_code == 302
    return email, {}


def seller_decision(decision):
    def scenario(app, lang):
        make_places(app)
        email, seller_id = make_seller(app, "submitted")
        speaks(app, email, lang)
        staff = staff_client(app)
        seller_row(app, seller_id, decide=SectionKey.BANK if decision != "approve" else None)
        response = submit(staff, f"/staff/sellers/{seller_id}/decision",
                          {decision: "1", "note": NOTE}, token_from=f"/staff/sellers/{seller_id}")
        assert response.status_code == 302
        return email, {}
    return scenario


def seller_suspension(decision):
    def scenario(app, lang):
        make_places(app)
        email, seller_id = make_seller(app, "approved")
        speaks(app, email, lang)
        if decision == "reinstate":
            with app.test_request_context():
                onboarding.suspend_seller(db.session.get(Seller, seller_id), admin_user(),
                                          "Complaints from buyers")
        response = submit(admin_client(app), f"/staff/sellers/{seller_id}/suspension",
                          {decision: "1", "note": "Complaints from buyers"},
                          token_from=f"/staff/sellers/{seller_id}")
        assert response.status_code == 302
        return email, {}
    return scenario


def listing_decision(decision, reasons=()):
    def scenario(app, lang):
        make_places(app)
        email, seller_id = make_seller(app, "approved")
        staff = staff_client(app)
        listing_id = listing(app, seller_id, TITLE, approve=decision == "remove")
        speaks(app, email, lang)
        response = submit(staff, f"/staff/listings/{listing_id}/decision",
                          {decision: "1", "reasons": list(reasons), "note": NOTE},
                          token_from=f"/staff/listings/{listing_id}")
        assert response.status_code == 302, response.get_data(as_text=True)
        return email, {}
    return scenario


def an_order(app, *, buyer_lang="en", seller_lang="en"):
    """A buyer's cash-on-delivery order of one saree; (buyer client, reference, order id, seller)."""
    saree, _stole, buyer = shop(app)
    with app.app_context():
        seller_email = db.session.get(Listing, saree).seller.user.email
    speaks(app, buyer, buyer_lang)
    speaks(app, seller_email, seller_lang)
    client = logged_in(app, buyer)
    add(client, saree)
    response = place(client)
    assert response.status_code == 303
    reference = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        order = db.session.scalar(select(Order).join(Order.seller).join(Seller.user)
                                  .where(User.email == seller_email))
        return client, buyer, reference, order.id, order.reference, seller_email


def order_placed(app, lang):
    _client, buyer, reference, *_ = an_order(app, buyer_lang=lang)
    return buyer, {"reference": reference}


def order_new(app, lang):
    *_, order_reference, seller = an_order(app, seller_lang=lang)
    return seller, {"reference": order_reference}


def order_status(app, lang):
    _client, buyer, _reference, order_id, order_reference, seller = an_order(app, buyer_lang=lang)
    seller_client = logged_in(app, seller)
    for step in ({"step": "accepted"}, {"step": "packed"},
                 {"step": "shipped", "carrier": "India Post", "tracking": "EE123456789IN"}):
        response = submit(seller_client, f"/seller/orders/{order_id}/next", step,
                          token_from="/seller/orders")
        assert response.status_code == 303
    return buyer, {"reference": order_reference}


def order_cancelled_to_seller(app, lang):
    client, _buyer, reference, order_id, order_reference, seller = an_order(app, seller_lang=lang)
    response = submit(client, f"/orders/{reference}/{order_id}/cancel",
                      {"reason": "Bought the wrong colour"}, token_from=f"/orders/{reference}")
    assert response.status_code == 303
    return seller, {"reference": order_reference}


COMPLAINT = "The saree arrived torn along the border."


def complaint_opened(app, lang):
    client, buyer, _reference, order_id, *_ = an_order(app, buyer_lang=lang)
    path = f"/complaints/new?order={order_id}"
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"',
                    client.get(path).get_data(as_text=True)).group(1)
    response = submit(client, path, {"category": "damaged", "description": COMPLAINT,
                                     "submission_key": key})
    assert response.status_code == 303, response.get_data(as_text=True)
    return buyer, {"reference": response.location.rsplit("/", 1)[1]}


def complaint_update(app, lang):
    _client, buyer, _reference, order_id, *_ = an_order(app, buyer_lang=lang)
    with app.test_request_context():
        ticket = complaints.open_complaint(
            db.session.scalar(select(User).where(User.email == buyer)), "order", order_id,
            category="damaged", description=COMPLAINT, submission_key="mail").complaint.reference
    staff = staff_client(app)
    response = submit(staff, f"/staff/complaints/{ticket}/resolve",
                      {"resolution": "A new saree is on its way."})
    assert response.status_code == 303, response.get_data(as_text=True)
    return buyer, {"reference": ticket}


def return_status(app, lang):
    """The buyer asks for a return of the delivered saree: both hear of it."""
    client, buyer, reference, order_id, order_reference, seller = an_order(app, buyer_lang=lang)
    seller_client = logged_in(app, seller)
    for step in ("accepted", "packed", "shipped", "delivered"):
        assert submit(seller_client, f"/seller/orders/{order_id}/next",
                      {"step": step, "carrier": "India Post", "tracking": "EE123456789IN"},
                      token_from="/seller/orders").status_code == 303
    with app.app_context():
        item_id = db.session.get(Order, order_id).items[0].id
    path = f"/orders/{reference}/{order_id}/return"
    response = submit(client, path, {f"qty_{item_id}": "1", "reason": "defective",
                                     "resolution": "exchange"}, token_from=path)
    assert response.status_code == 303, response.get_data(as_text=True)
    return buyer, {"reference": order_reference}


def refund_paid(app, lang):
    """Staff record the bank transfer of a cash-on-delivery order's refund."""
    sold = cod_order(app)
    speaks(app, sold["buyer"], lang)
    with app.app_context():
        refund = bank_refunds.add_bank_refund(sold["order"], 5000, "Damaged in transit",
                                              **PAYEE)
        order_reference = refund.order.reference
    response = submit(admin_client(app), f"/staff/refunds/{refund.id}/paid",
                      {"paid_on": "2026-11-20", "reference": "UTR123456789"},
                      token_from=f"/staff/refunds/{refund.id}")
    assert response.status_code == 303
    return sold["buyer"], {"reference": order_reference}


def back_in_stock(app, lang):
    """A buyer asks on a sold-out product's page; its seller puts stock back."""
    make_places(app)
    seller_email, seller_id = make_seller(app, "approved")
    sold_out = listing(app, seller_id, TITLE, stock="0")
    email = make_user(app)
    speaks(app, email, lang)
    response = logged_in(app, email).post(f"/products/{sold_out}/tell-me-when-back",
                                          headers={"Origin": "http://localhost"})
    assert response.status_code == 303
    response = submit(logged_in(app, seller_email), f"/seller/listings/{sold_out}/price",
                      {"price": "100", "mrp": "120", "stock": "2", "stock_seen": "0"},
                      token_from=f"/seller/listings/{sold_out}/edit")
    assert response.status_code == 302
    return email, {}


# kind: (scenario, its template, msgids of the template that this scenario leaves out,
#        Hindi sentences the mail must hold, the English ones it holds for English readers).
KINDS = {
    "back_in_stock": (back_in_stock, "back_in_stock.txt", (), [
        f"“{TITLE}” ओडीओपी बाज़ार पर फिर से बिक्री के लिए है",
        "ऑर्डर करने तक यह आपके लिए रोका नहीं जाता।",
    ], [
        f"“{TITLE}” is for sale again on ODOP Bazaar, as you asked us to tell you.",
        "Handmade stock is small and goes quickly",
    ]),
    "verify_email": (verify_email, "verify_email.txt", (), [
        f"नमस्ते {NAME},",
        "कृपया यह लिंक खोलकर पुष्टि करें कि ओडीओपी बाज़ार के लिए यही आपका ईमेल पता है:",
        "यह लिंक तीन दिन तक काम करेगा।",
    ], [
        f"Hello {NAME},",
        "Please confirm that this is your email address for ODOP Bazaar by opening this link:",
        "The link works for three days. If you did not create an account, you can ignore this "
        "email.",
    ]),
    "reset_password": (reset_password, "reset_password.txt", (), [
        "किसी ने आपके ओडीओपी बाज़ार खाते का पासवर्ड रीसेट करने का अनुरोध किया है।",
        "आपका पासवर्ड पहले जैसा ही रहेगा।",
    ], [
        "Someone asked to reset the password of your ODOP Bazaar account. To choose a new "
        "password, open this link:",
        "The link works once, for one hour. If you did not ask for it, ignore this email: your "
        "password stays as it is.",
    ]),
    "staff_invitation": (staff_invitation, "staff_invitation.txt", (), [
        "Test admin ने आपके लिए ओडीओपी बाज़ार पर स्टाफ़ खाता (स्टाफ़ समीक्षक) बनाया है।",
        "लॉग इन पेज पर इसी ईमेल पते के साथ “पासवर्ड भूल गए?” का इस्तेमाल करें।",
    ], [
        "Test admin has made you an ODOP Bazaar staff account (Staff reviewer). To choose your "
        "password and start, open this link:",
        "If it has expired, use “Forgotten your password?” on the log-in page",
    ]),
    "seller_submitted": (seller_submitted, "seller_submitted.txt", (), [
        "विक्रेता के लिए आपका आवेदन ओडीओपी बाज़ार के स्टाफ़ तक पहुँच गया है।",
    ], [
        "Thank you: your seller application has reached the ODOP Bazaar staff.",
    ]),
    "seller_approved": (seller_decision("approve"), "seller_approved.txt", (), [
        "खुशखबरी: ओडीओपी बाज़ार पर विक्रेता के रूप में आपका आवेदन स्वीकृत हो गया है।",
        f"हमारे स्टाफ़ की टिप्पणी: {NOTE}",
    ], [
        "Good news: you are approved as a seller on ODOP Bazaar. You can now list your products.",
        f"Note from our staff: {NOTE}",
    ]),
    "seller_changes_requested": (seller_decision("request_changes"),
                                 "seller_changes_requested.txt", (), [
        "इसे स्वीकृत करने से पहले इसमें कुछ बदलाव ज़रूरी हैं:",
        ": The cheque photo is blurred",
        "दोबारा जाँच सिर्फ़ उन्हीं भागों की होगी जिन्हें आप बदलेंगे।",
    ], [
        "Our staff have looked at your seller application and need some changes before they "
        "can approve it:",
        ": The cheque photo is blurred",
        "Make the changes and submit again.",
    ]),
    "seller_suspended": (seller_suspension("suspend"), "seller_suspended.txt", (), [
        "ओडीओपी बाज़ार पर आपका विक्रेता खाता निलंबित कर दिया गया है",
        "कारण: Complaints from buyers",
        "तो इस ईमेल का जवाब दें।",
    ], [
        "Your seller account on ODOP Bazaar is suspended, so buyers cannot see your products "
        "for now.",
        "Reason: Complaints from buyers",
        "If you think this is a mistake, reply to this email.",
    ]),
    "seller_reinstated": (seller_suspension("reinstate"), "seller_reinstated.txt", (), [
        "ओडीओपी बाज़ार पर आपका विक्रेता खाता फिर से सक्रिय हो गया है",
        "हमारे स्टाफ़ की टिप्पणी: Complaints from buyers",
    ], [
        "Your seller account on ODOP Bazaar is active again, and buyers can see your products.",
    ]),
    "listing_approve": (listing_decision("approve"), "listing_approve.txt", (), [
        f"आपकी लिस्टिंग “{TITLE}” स्वीकृत हो गई है और अब खरीदार इसे देख सकते हैं।",
        f"हमारे स्टाफ़ की टिप्पणी: {NOTE}",
    ], [
        f"Your listing “{TITLE}” is approved and buyers can see it now.",
    ]),
    "listing_request_changes": (listing_decision("request_changes", ["photo_quality"]),
                                "listing_request_changes.txt", (), [
        f"हमारे स्टाफ़ ने आपकी लिस्टिंग “{TITLE}” की जाँच की है।",
        "खरीदारों को दिखने से पहले इसमें कुछ बदलाव ज़रूरी हैं।",
    ], [
        f"Our staff looked at your listing “{TITLE}” and need some changes before buyers can "
        "see it.",
        "- Photo quality",
    ]),
    "listing_remove": (listing_decision("remove", ["prohibited"]), "listing_remove.txt", (), [
        f"हमारे स्टाफ़ ने आपकी लिस्टिंग “{TITLE}” ओडीओपी बाज़ार से हटा दी है।",
        "अगर आपको लगता है कि यह गलती से हुआ है, तो इस ईमेल का जवाब दें।",
    ], [
        f"Our staff removed your listing “{TITLE}” from ODOP Bazaar.",
        "- Prohibited item",
        "If you think this is a mistake, reply to this email.",
    ]),
    "order_placed": (order_placed, "order_placed.txt", (), [
        "आपके ऑर्डर {reference} (₹160.00, कैश ऑन डिलीवरी) के लिए धन्यवाद।",
        "Test Looms की ओर से:",  # the shop name, as the cart showed it
        "हर विक्रेता अपना सामान अलग-अलग भेजेगा। अपने ऑर्डर की स्थिति यहाँ देखें:",
    ], [
        "Thank you for your order {reference} (₹160.00, Cash on delivery).",
        "From Test Looms:",  # the shop name, as the cart showed it
        "Each seller sends their part separately. Follow your order here:",
    ]),
    "order_new": (order_new, "order_new.txt", (), [
        "आपको एक नया ऑर्डर मिला है, {reference} (कैश ऑन डिलीवरी):",
        "  - Banarasi saree × 1",
        "इसे स्वीकार करें, पैक करें और सामान भेजने का जो समय आपने बताया है, उसके भीतर भेज दें:",
    ], [
        "You have a new order, {reference} (Cash on delivery):",
        "Accept it, pack it and send it within the dispatch time you promised:",
    ]),
    "order_status": (order_status, "order_status.txt",
                     ("Reason: %(reason)s", "Refunded %(amount)s"), [
        "ऑर्डर {reference} की नई स्थिति: भेज दिया गया।",
        "India Post से भेजा गया, ट्रैकिंग नंबर EE123456789IN",
    ], [
        "Order {reference} is now: Shipped.",
        "Sent with India Post, tracking number EE123456789IN",
    ]),
    "order_status_cancelled_to_seller": (
        order_cancelled_to_seller, "order_status.txt",
        ("Sent with %(carrier)s, tracking number %(number)s", "Refunded %(amount)s"), [
            "ऑर्डर {reference} की नई स्थिति: रद्द हो गया।",
            "कारण: Bought the wrong colour",
        ], [
            "Order {reference} is now: Cancelled.",
            "Reason: Bought the wrong colour",
        ]),
    "complaint_opened": (complaint_opened, "complaint_opened.txt", (), [
        "हमें आपकी शिकायत मिल गई है। इसका टिकट नंबर {reference} है",
        "इसकी स्थिति देखें और जवाब यहाँ जोड़ें:",
    ], [
        "We have received your complaint. Its ticket number is {reference}: please quote it "
        "when you write to us.",
        "(Damaged or defective)",
        "Follow it and add replies here:",
    ]),
    "complaint_update": (complaint_update, "complaint_update.txt", (), [
        "आपकी शिकायत {reference} की नई स्थिति: निपटाई गई।",
        "A new saree is on its way.",
    ], [
        "Your complaint {reference} is now: Resolved.",
        "Our grievance officer wrote:\nA new saree is on its way.",
    ]),
    "return_status": (return_status, "return_status.txt", (
        "Note: %(note)s", "Pickup by %(carrier)s, tracking number %(number)s",
        "Sent with %(carrier)s, tracking number %(number)s"), [
            "ऑर्डर {reference} की वापसी R1 की नई स्थिति: विक्रेता के जवाब का इंतज़ार।",
            "कारण: खराब निकला",
        ], [
            "Return R1 of order {reference} is now: Waiting for the seller.",
            "  - Banarasi saree × 1",
            "Reason: Defective",
        ]),
    "refund_paid": (refund_paid, "refund_paid.txt", (), [
        "हमने ऑर्डर {reference} के लिए आपको ₹50.00 का रिफ़ंड भेज दिया है।",
        "भेजा गया: XXXXXXXXXX5678 · HDFC0001234",
        "तारीख़: 20 नव॰ 2026। बैंक रेफ़रेंस नंबर (UTR): UTR123456789",
    ], [
        "We have sent you a refund of ₹50.00 for order {reference}.",
        "Paid to: XXXXXXXXXX5678 · HDFC0001234",
        "Date: 20 Nov 2026. Bank reference (UTR): UTR123456789",
        "Reason: Damaged in transit",
    ]),
}


def template_messages(template: str) -> list[str]:
    """The msgids written by one email template, as `make translations` extracts them."""
    with (EMAIL_TEMPLATES / template).open("rb") as handle:
        found = [message for _line, _function, message, _comments in
                 babel_extract(handle, ("_", "gettext"), [], {})]
    return [message[0] if isinstance(message, tuple) else message for message in found]


def literal_parts(text: str) -> list[str]:
    """The words of a message around its %(placeholders)s, as they show in the mail."""
    return [part.strip(" ,.:;()") for part in re.split(r"%\(\w+\)s", text)
            if sum(ch.isalpha() for ch in part) >= 2]


def mail_to(outbox, email):
    mine = [message for message in outbox if message["To"] == email]
    assert mine, f"no mail to {email}"
    return mine[-1]["Subject"], mine[-1].get_content()


def is_devanagari(text: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in text)


def test_every_email_template_is_covered_here():
    assert {template for _s, template, *_rest in KINDS.values()} == {
        path.name for path in EMAIL_TEMPLATES.glob("*.txt")}


@pytest.mark.parametrize("kind", KINDS)
def test_each_email_reaches_a_hindi_reader_in_hindi(app, outbox, kind):
    scenario, template, left_out, hindi, _english = KINDS[kind]
    email, values = scenario(app, "hi")
    subject, body = mail_to(outbox, email)
    assert is_devanagari(subject), subject
    for sentence in hindi:
        assert sentence.format(**values) in body, (sentence, body)
    with app.test_request_context(), force_locale("hi"):
        for message in template_messages(template):
            for english in literal_parts(message):
                assert english not in body, (english, body)  # no English line is left
            if message not in left_out:
                for part in literal_parts(gettext(message)):
                    assert part in body, (part, body)
    assert "&amp;" not in body and "&#39;" not in body
    # Its links open Hindi pages, whichever page (mostly English ones here) sent it.
    assert all(path.startswith("/hi/") for path in links(body)), body
    assert links(body) or "link" not in (EMAIL_TEMPLATES / template).read_text()


@pytest.mark.parametrize("kind", KINDS)
def test_each_email_to_an_english_reader_is_the_english_text_as_before(app, outbox, kind):
    scenario, template, left_out, _hindi, english = KINDS[kind]
    email, values = scenario(app, "en")
    subject, body = mail_to(outbox, email)
    assert not is_devanagari(subject) and not is_devanagari(body), body
    assert not any(path.startswith("/hi/") for path in links(body)), body
    assert links(body) or "link" not in (EMAIL_TEMPLATES / template).read_text()
    assert body.startswith(f"Hello {NAME},\n") and body.rstrip().endswith("\nODOP Bazaar")
    for sentence in english:
        assert sentence.format(**values) in body, (sentence, body)
    for message in template_messages(template):
        if message not in left_out:
            for part in literal_parts(message):
                assert part in body, (part, body)
