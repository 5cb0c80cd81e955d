"""Demo data for a first look (`flask seed-demo`): accounts, an approved seller, one in the queue.

Everything goes through the same services a person's actions do, so the demo data obeys every
rule. Specimen documents are drawn here with Pillow; nothing is fetched.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from odop_bazaar.devdata import demo_orders, demo_shop, seeding_config
from odop_bazaar.extensions import db
from odop_bazaar.models import District, OdopProduct, Role, SectionKey, StaffScope, User
from odop_bazaar.models.checklist import DocumentKind
from odop_bazaar.services import catalogue, sellers
from odop_bazaar.services.accounts import users
from odop_bazaar.services.catalogue.photo_jobs import process_listing_photo
from odop_bazaar.services.sellers import Upload


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    email: str
    name: str
    password: str


DEMO_ACCOUNTS = (
    DemoAccount(Role.BUYER, "buyer@example.com", "Asha Buyer", "demo-buyer-pass"),
    DemoAccount(Role.BUYER, "priya@example.com", "Priya Sharma", "demo-buyer-pass"),
    DemoAccount(Role.BUYER, "rahul@example.com", "Rahul Verma", "demo-buyer-pass"),
    DemoAccount(Role.SELLER, "seller@example.com", "Meera Devi", "demo-seller-pass"),
    DemoAccount(Role.SELLER, "applicant@example.com", "Ramesh Kumar", "demo-applicant-pass"),
    DemoAccount(Role.STAFF, "staff@example.com", "Sunita Reviewer", "demo-staff-pass"),
    DemoAccount(Role.STAFF, "varanasi@example.com", "Arjun Reviewer", "demo-varanasi-pass"),
    DemoAccount(Role.ADMIN, "admin@example.com", "Vikram Admin", "demo-admin-pass"),
)


def specimen_pdf(text: str) -> bytes:
    """A one-page PDF saying what it is a specimen of."""
    stream = f"BT /F1 24 Tf 72 720 Td (SPECIMEN - {text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def specimen_photo(text: str) -> bytes:
    """A JPEG 'photo' of a document card, with the word SPECIMEN on it."""
    image = Image.new("RGB", (856, 540), (236, 240, 247))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 836, 520), outline=(40, 60, 120), width=6)
    draw.text((60, 70), "SPECIMEN", fill=(160, 20, 20), font=ImageFont.load_default(size=72))
    draw.text((60, 200), text, fill=(20, 20, 20), font=ImageFont.load_default(size=40))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def demo_product_photo(colour: tuple[int, int, int], border: tuple[int, int, int]) -> bytes:
    """A drawn 'photo' of a folded saree: a body colour with a patterned border."""
    image = Image.new("RGB", (1600, 1200), (245, 240, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle((200, 150, 1400, 1050), fill=colour)
    for y in range(150, 1050, 60):
        draw.rectangle((200, y, 1400, y + 8), fill=tuple(min(c + 30, 255) for c in colour))
    draw.rectangle((200, 900, 1400, 1050), fill=border)
    for x in range(220, 1400, 80):
        draw.ellipse((x, 940, x + 50, 990), outline=colour, width=6)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


DEMO_LISTINGS = (
    {"title": "Red Banarasi silk saree with gold zari", "price": "12500", "mrp": "14000",
     "stock": "3", "colour": (150, 20, 40), "border": (200, 160, 40),
     "description": "Handwoven pure Banarasi silk (katan) with real zari motifs. 5.5 m saree "
                    "with a 0.8 m blouse piece. Dry clean only.\n\nलाल बनारसी रेशमी साड़ी, "
                    "असली ज़री के बूटों के साथ, हथकरघे पर बुनी हुई।"},
    {"title": "Green Banarasi silk dupatta, made to order", "price": "4800", "mrp": "4800",
     "stock": "0", "made_to_order": True, "lead_time_days": "21", "colour": (30, 110, 70),
     "border": (220, 190, 90),
     "description": "Woven to order on our handloom in about three weeks. 2.5 m x 0.9 m."
                    "\n\nहरा बनारसी रेशमी दुपट्टा, ऑर्डर पर बुना जाता है।"},
)


def _product_ids(district: int, names: tuple[str, ...]) -> list[int]:
    return list(db.session.scalars(select(OdopProduct.id).where(
        OdopProduct.district_lgd_code == district, OdopProduct.name.in_(names))))


def _fill_application(user: User, *, seller_type: str, state: int, district: int,
                      products: tuple[str, ...], profile: dict, pan: str, pin: str,
                      udyam: str | None = None):
    seller = sellers.seller_for_user(user)
    save = sellers.save_section
    save(seller, SectionKey.PRODUCTS, {"seller_type": seller_type, "state_lgd_code": state,
                                       "district_lgd_code": district,
                                       "product_ids": _product_ids(district, products)})
    save(seller, SectionKey.BUSINESS, profile)
    save(seller, SectionKey.PAN, {"pan": pan, "pan_name": profile["legal_name"].upper()},
         [Upload(DocumentKind.PAN_CARD, "pan.jpg", specimen_photo(f"PAN {pan}"))])
    if udyam:
        save(seller, SectionKey.UDYAM, {"udyam_number": udyam},
             [Upload(DocumentKind.UDYAM_CERTIFICATE, "udyam.pdf", specimen_pdf(udyam))])
    save(seller, SectionKey.GST, {"gst_mode": "exempt", "gst_exemption": "handmade"})
    save(seller, SectionKey.BANK, {"bank_holder_name": profile["legal_name"],
                                   "bank_account_number": "50100012345678",
                                   "bank_account_confirm": "50100012345678",
                                   "bank_ifsc": "HDFC0001234"},
         [Upload(DocumentKind.BANK_PROOF, "cheque.pdf", specimen_pdf("Cancelled cheque"))])
    save(seller, SectionKey.ADDRESS, {"address_line1": profile["address"],
                                      "address_city": profile["city"], "address_pin": pin})
    save(seller, SectionKey.DECLARATIONS, {"accept_terms": True})
    sellers.submit_application(seller, user)
    return seller


# The demo accounts' passwords are published (README, the command's output), so a slow hash
# protects nothing on them and would cost a tenth of a second each at every first run. Only
# while seeding: a password set later, a demo account's included, is hashed the usual way.
DEMO_PASSWORD_HASH = "pbkdf2:sha256:1000"  # nosec B105


def seed(echo=print) -> None:
    """Add the demo accounts, sellers, orders and reviews that are missing; leave existing ones
    alone."""
    with seeding_config(PASSWORD_HASH_METHOD=DEMO_PASSWORD_HASH):
        by_email = _demo_accounts(echo)
        staff = by_email["staff@example.com"]
        _approved_weaver(by_email["seller@example.com"], staff, echo)
        _district_reviewer(by_email["varanasi@example.com"], echo)
        _applicant_in_queue(by_email["applicant@example.com"], echo)
        demo_shop.add_makers(staff, echo)
    demo_orders.add_orders(by_email, echo)


def _demo_accounts(echo) -> dict[str, User]:
    # Each demo account by email, created if missing (an existing one keeps its password).
    by_email = {}
    echo("Demo accounts (email / password):")
    for account in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == account.email))
        if user is None:
            user = users.create_user(email=account.email, password=account.password,
                                     full_name=account.name, role=account.role,
                                     email_verified=True,
                                     all_india=account.email == "staff@example.com")
            echo(f"  {account.role.value:<7} {account.email} / {account.password}")
        else:
            echo(f"  {account.role.value:<7} {account.email} (already there; password unchanged)")
        by_email[account.email] = user
    return by_email


def _approved_weaver(meera: User, staff: User, echo) -> None:
    # Meera: an application verified section by section and approved, with live listings.
    if meera.seller is not None or not _product_ids(187, ("Silk Products",)):
        return
    seller = _fill_application(meera, seller_type="weaver", state=9, district=187,
                               products=("Silk Products",), pan="ABCPD1234K", pin="221001",
                               profile={
        "legal_name": "Meera Devi", "display_name": "Meera's Banarasi Looms",
        "year_started": 1998, "languages": "Hindi, Bhojpuri",
        "story": "Three generations of our family have woven Banarasi silk in Sarai Mohana. "
                 "Each saree takes two to four weeks on a handloom.",
        "grievance_name": "Meera Devi", "grievance_phone": "9876543210",
        "grievance_email": "seller@example.com", "address": "House 12, Weavers' Lane",
        "city": "Varanasi"})
    for row in list(seller.sections):
        sellers.decide_section(seller, SectionKey(row.key), verified=True, note="",
                                  actor=staff)
    sellers.approve_seller(seller, staff, "Welcome to ODOP Bazaar.")
    _live_listings(seller, staff)
    echo("  Meera Devi (seller@example.com) is an approved weaver in Varanasi, with "
         f"{len(DEMO_LISTINGS)} live listings.")


def _live_listings(seller, staff: User) -> None:
    product = seller.products[0]
    for item in DEMO_LISTINGS:
        listing = catalogue.create_listing(
            seller, {"odop_product_id": product.id, "title": item["title"],
                     "description": item["description"], "unit": "piece",
                     "net_quantity": "1", "gst_rate": 5, "hsn_code": "5007"},
            {name: item.get(name) for name in ("price", "mrp", "stock", "made_to_order",
                                               "lead_time_days")})
        catalogue.add_photos(seller, listing, [catalogue.PhotoUpload(
            "photo.jpg", demo_product_photo(item["colour"], item["border"]))])
        for photo in listing.working_content.photos:
            if photo.is_processing:  # a queue is configured: the demo does not wait for a worker
                process_listing_photo(photo.id)
        catalogue.submit_listing(seller, listing)
        catalogue.approve_listing(listing, staff)


def _district_reviewer(arjun: User, echo) -> None:
    # Arjun works on Varanasi alone, to show what a district reviewer sees.
    if not arjun.all_india and not arjun.scopes and db.session.get(District, 187):
        arjun.scopes.append(StaffScope(district_lgd_code=187))
        db.session.commit()
        echo("  Arjun Reviewer (varanasi@example.com) reviews Varanasi only; Sunita all India.")


def _applicant_in_queue(ramesh: User, echo) -> None:
    # Ramesh: a submitted application, left in the staff review queue.
    if ramesh.seller is not None or not _product_ids(171, ("Moradabad Metal Craft",)):
        return
    _fill_application(ramesh, seller_type="proprietorship", state=9, district=171,
                      products=("Moradabad Metal Craft",), pan="BCDPK2345L", pin="244001",
                      udyam="UDYAM-UP-50-0012345", profile={
        "legal_name": "Ramesh Kumar", "display_name": "Kumar Brassware",
        "year_started": 2009, "languages": "Hindi, Urdu",
        "story": "Hand-engraved brass from Moradabad, the Peetal Nagri.",
        "grievance_name": "Ramesh Kumar", "grievance_phone": "9812345678",
        "grievance_email": "applicant@example.com", "address": "22 Kanth Road",
        "city": "Moradabad"})
    echo("  Ramesh Kumar (applicant@example.com) waits in the staff review queue.")
