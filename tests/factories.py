"""Small factory functions for test data. Each runs in its own app context and returns ids."""

from sqlalchemy import select
from stdnum import luhn
from stdnum.in_ import gstin as stdnum_gstin

from odop_bazaar.extensions import db
from odop_bazaar.models import District, OdopProduct, Role, Seller, StaffScope, State, User
from odop_bazaar.services import catalogue as listings
from odop_bazaar.services.accounts import users

PASSWORD = "correct-horse-battery"


def make_user(app, role: Role = Role.BUYER, email: str | None = None, *, verified: bool = True,
              password: str = PASSWORD, locale: str | None = None) -> str:
    """Create an account; returns its email."""
    email = email or f"{role.value}-{make_user.counter}@example.com"
    make_user.counter += 1
    with app.app_context():
        users.create_user(email=email, password=password, full_name=f"Test {role.value}",
                             role=role, email_verified=verified, locale=locale,
                             all_india=role == Role.STAFF)
    return email


make_user.counter = 1


def make_places(app) -> dict:
    """A small slice of the reference data: Uttar Pradesh with two districts, and Goa."""
    with app.app_context():
        up = State(lgd_code=9, name="Uttar Pradesh", lgd_name="UTTAR PRADESH", kind="State")
        goa = State(lgd_code=30, name="Goa", lgd_name="GOA", kind="State")
        moradabad = District(lgd_code=171, state=up, name="Moradabad", lgd_name="MORADABAD",
                             source="test")
        varanasi = District(lgd_code=187, state=up, name="Varanasi", lgd_name="VARANASI",
                            source="test")
        north_goa = District(lgd_code=551, state=goa, name="North Goa", lgd_name="NORTH GOA",
                             source="test")
        db.session.add_all([
            OdopProduct(district=moradabad, name="Metal Craft", name_key="metal craft",
                        sector="Handicraft", rank="Primary", gi_tagged=True,
                        district_spelling="Moradabad"),
            OdopProduct(district=varanasi, name="Banarasi Silk Sarees", name_key="banarasi silk sarees",
                        sector="Handloom", rank="Primary", gi_tagged=True,
                        district_spelling="Varanasi"),
            OdopProduct(district=varanasi, name="Wooden Lacquerware and Toys",
                        name_key="wooden lacquerware and toys", sector="Handicraft",
                        rank="Secondary", gi_tagged=False, district_spelling="Varanasi"),
            OdopProduct(district=north_goa, name="Cashew", name_key="cashew",
                        sector="Agriculture", rank="Primary", gi_tagged=True,
                        district_spelling="North Goa"),
        ])
        db.session.commit()
    return {"state": 9, "districts": (171, 187), "other_state": 30}


def make_pdf(text: str = "PAN card") -> bytes:
    """A small, well-formed PDF with one page of text."""
    from odop_bazaar.devdata.demo import specimen_pdf

    return specimen_pdf(text)


def make_jpeg(width: int = 640, height: int = 480, *, gps: bool = False, orientation: int = 1) -> bytes:
    """A real JPEG photo; with gps=True it carries a GPS position in its EXIF, as phones write."""
    import io

    from PIL import Image

    image = Image.new("RGB", (width, height), (180, 90, 40))
    for x in range(0, width, 40):  # some detail, so the encoder has work to do
        image.paste((20, 60, 160), (x, 0, x + 10, height))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    if gps:
        exif[0x8825] = {1: "N", 2: (25.0, 19.0, 4.8), 3: "E", 4: (82.0, 58.0, 24.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=85)
    return out.getvalue()


def make_png(width: int = 200, height: int = 120) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 60)).save(out, format="PNG")
    return out.getvalue()


VALID_PAN = "ABCPE1234F"


def make_seller(app, stage: str = "complete", *, email: str | None = None,
                seller_type: str = "weaver", district: int = 187,
                product_names: tuple[str, ...] = ("Banarasi Silk Sarees",),
                aadhaar: str | None = None) -> tuple[str, int]:
    """A seller account at an onboarding stage: 'new', 'complete' (ready to submit), 'submitted'
    or 'approved'. Needs make_places() first. Returns (email, seller id)."""
    from sqlalchemy import select

    from odop_bazaar.models import OdopProduct, SectionKey, User
    from odop_bazaar.models.checklist import DocumentKind
    from odop_bazaar.services import sellers as onboarding
    from odop_bazaar.services.sellers import Upload

    email = make_user(app, role=Role.SELLER, email=email)
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == email))
        seller = onboarding.seller_for_user(user)
        if stage == "new":
            return email, seller.id
        products = db.session.scalars(select(OdopProduct.id).where(
            OdopProduct.name.in_(product_names), OdopProduct.district_lgd_code == district)).all()
        save = onboarding.save_section
        save(seller, SectionKey.PRODUCTS, {"seller_type": seller_type, "state_lgd_code": 9
                                           if district in (171, 187) else 30,
                                           "district_lgd_code": district, "product_ids": products})
        save(seller, SectionKey.BUSINESS, {
            "legal_name": "Test Seller", "display_name": "Test Looms", "year_started": 2001,
            "story": "We weave.", "languages": "Hindi", "grievance_name": "Test Seller",
            "grievance_phone": "9876543210", "grievance_email": "grievance@example.com"})
        save(seller, SectionKey.PAN, {"pan": VALID_PAN, "pan_name": "TEST SELLER"},
             [Upload(DocumentKind.PAN_CARD, "pan.pdf", make_pdf())])
        if aadhaar:
            onboarding.save_aadhaar(seller, aadhaar)
        save(seller, SectionKey.GST, {"gst_mode": "exempt", "gst_exemption": "handmade"})
        save(seller, SectionKey.BANK, {"bank_holder_name": "Test Seller",
                                       "bank_account_number": "123456789012",
                                       "bank_account_confirm": "123456789012",
                                       "bank_ifsc": "SBIN0001234"},
             [Upload(DocumentKind.BANK_PROOF, "cheque.jpg", make_jpeg())])
        save(seller, SectionKey.ADDRESS, {
            "address_line1": "1 Loom Lane", "address_city": "Town",
            "address_pin": "221001" if district in (171, 187) else "403001"})
        save(seller, SectionKey.DECLARATIONS, {"accept_terms": True})
        if stage == "complete":
            return email, seller.id
        onboarding.submit_application(seller, user)
        if stage == "submitted":
            return email, seller.id
        staff = db.session.scalar(select(User).where(User.role == "staff")) or \
            db.session.get(User, 0)
        if staff is None:
            staff_email = make_user(app, role=Role.STAFF)
            staff = db.session.scalar(select(User).where(User.email == staff_email))
        for row in list(seller.sections):
            if row.status == "submitted":
                onboarding.decide_section(seller, SectionKey(row.key), verified=True, note="",
                                          actor=staff)
        onboarding.approve_seller(seller, staff)
        return email, seller.id


def admin_user():
    """An administrator, for what only admins do (suspending sellers); call in an app context."""
    from sqlalchemy import select

    from odop_bazaar.models import User

    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN).limit(1))
    return admin or users.create_user(email="admin-for-tests@example.com", password=PASSWORD,
                                         full_name="Test admin", role=Role.ADMIN,
                                         email_verified=True)


def make_reviewer(app, *, states=(), districts=(), all_india=False) -> str:
    """A staff reviewer working on these states and districts (or on all India); their email."""
    email = make_user(app, Role.STAFF)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.all_india = all_india
        user.scopes.extend([StaffScope(state_lgd_code=code) for code in states]
                           + [StaffScope(district_lgd_code=code) for code in districts])
        db.session.commit()
    return email


def make_gstin(state_code: str, pan: str) -> str:
    """A GSTIN with a correct check character, computed as the GST network does."""
    body = f"{state_code}{pan}1Z"
    return body + luhn.calc_check_digit(body, stdnum_gstin._ALPHABET)


def listing(app, seller_id, title, *, stock="3", made_to_order=False, approve=True,
            title_hi="", description="Silk"):
    """A listing of the seller's first product, with a photo, submitted for review and, unless
    approve=False, approved by the first staff account (an "approved" make_seller makes one).
    Returns its id."""
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        item = listings.create_listing(seller, {
            "odop_product_id": seller.products[0].id, "title": title,
            "description": description, "title_hi": title_hi, "gst_rate": 5},
            {"price": "100", "mrp": "120", "stock": stock, "made_to_order": made_to_order,
             "lead_time_days": "9" if made_to_order else ""})
        listings.add_photos(seller, item, [listings.PhotoUpload("a.jpg", make_jpeg())])
        listings.submit_listing(seller, item)
        if approve:
            listings.approve_listing(item, staff)
        return item.id


def shop(app, *, stock="3", second_stock="5"):
    """Two approved sellers with one live listing each; a buyer. Returns ids and email."""
    make_places(app)
    _, first_seller = make_seller(app, "approved")
    _, second_seller = make_seller(app, "approved")
    saree = listing(app, first_seller, "Banarasi saree", stock=stock)
    stole = listing(app, second_seller, "Silk stole", stock=second_stock)
    buyer = make_user(app, Role.BUYER)
    return saree, stole, buyer
