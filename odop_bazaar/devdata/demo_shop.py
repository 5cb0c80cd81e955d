"""The rest of the demo shop: makers in ten districts across eight states, each approved with a
few live listings and drawn photos, so that a first run looks like a marketplace (browse by
state and sector, search, compare) and two test orders sell nothing out.

Written through the same services as real sellers use, so the shop's read model and the search
index are right. Each maker is added once; an existing account is left alone.
"""

import io
import math
from dataclasses import dataclass

from PIL import Image, ImageDraw
from sqlalchemy import select

from odop_bazaar.devdata import seeding_config
from odop_bazaar.extensions import db
from odop_bazaar.models import Role, SectionKey, User
from odop_bazaar.services import catalogue, sellers
from odop_bazaar.services.accounts import users
from odop_bazaar.services.catalogue.photo_jobs import process_listing_photo

MAKER_PASSWORD = "demo-maker-pass"  # nosec B105 -- a published demo password, like the others


@dataclass(frozen=True)
class Maker:
    email: str
    name: str
    shop: str
    seller_type: str
    state: int
    district: int
    product: str  # the district's ODOP product, as the reference list names it
    city: str
    pin: str
    pan: str
    story: str
    listings: tuple  # (title, price, mrp, gst, colour, description)


def _listing(title, price, mrp, gst, colour, description=""):
    return (title, price, mrp, gst, colour, description)


MAKERS = (
    Maker("firozabad@example.com", "Kavita Soni", "Soni Glass Works", "artisan", 9, 143,
          "Firozabad Glass", "Firozabad", "283203", "CKSPS4321M",
          "Glass bangles and glassware from the furnaces of Suhag Nagari, Firozabad.",
          (_listing("Red and gold glass bangles, set of 12", "240", "280", 0, (180, 30, 50),
                    "Hand-decorated glass bangles in sizes 2.4 to 2.8. कांच की चूड़ियाँ।"),
           _listing("Green glass bangles with zari work, set of 24", "420", "480", 0,
                    (30, 130, 70)),
           _listing("Hand blown glass vase", "850", "950", 12, (40, 110, 170)),
           _listing("Coloured glass tealight holders, set of 4", "480", "550", 12,
                    (200, 150, 50)))),
    Maker("kutch@example.com", "Ismail Khatri", "Khatri Ajrakh Prints", "artisan", 24, 449,
          "Ajrakh", "Bhuj", "370001", "DIKPK5432N",
          "Ajrakh block printing with natural indigo and madder, ten generations in Kutch.",
          (_listing("Ajrakh hand block printed cotton dupatta", "1250", "1400", 5, (30, 40, 110),
                    "Natural indigo and madder, printed by hand with wooden blocks. अजरख छपाई।"),
           _listing("Ajrakh printed bedsheet, double", "2400", "2700", 5, (120, 30, 40)),
           _listing("Ajrakh mul cotton saree", "3800", "4200", 5, (40, 50, 90)),
           _listing("Ajrakh stole in modal silk", "1650", "1800", 5, (150, 60, 40)))),
    Maker("lucknow@example.com", "Nazia Begum", "Nazia Chikan Studio", "artisan", 9, 162,
          "Lucknow Chikan Craft & Lucknow Zardozi", "Lucknow", "226003", "EJNPB6543P",
          "Hand chikankari on mul and georgette by women embroiderers of old Lucknow.",
          (_listing("White chikankari cotton kurta", "2200", "2500", 5, (235, 235, 230),
                    "Hand embroidered shadow work (bakhiya) on soft mul cotton. चिकनकारी कुर्ता।"),
           _listing("Pastel georgette chikan kurti", "2900", "3300", 5, (200, 170, 200)),
           _listing("Zardozi clutch bag", "1800", "2000", 12, (120, 20, 60)),
           _listing("Chikankari table cover", "1350", "1500", 5, (230, 225, 210)))),
    Maker("madhubani@example.com", "Sunaina Jha", "Mithila Rang", "artisan", 10, 206,
          "Madhubani Paintings", "Madhubani", "847211", "FKLPJ7654Q",
          "Madhubani (Mithila) painting with natural colours on handmade paper and silk.",
          (_listing("Madhubani fish painting on handmade paper", "1800", "2000", 12,
                    (220, 120, 30), "Natural pigments, A3 size. मधुबनी चित्रकला।"),
           _listing("Madhubani tree of life on canvas", "4500", "5000", 12, (180, 50, 40)),
           _listing("Hand painted Madhubani silk stole", "2600", "2900", 5, (60, 120, 60)),
           _listing("Set of four Madhubani coasters", "450", "500", 12, (200, 160, 40)))),
    Maker("bhagalpur@example.com", "Abdul Ansari", "Ansari Tussar Weaves", "weaver", 10, 192,
          "Bhagalpur Silk", "Bhagalpur", "812001", "GMAPA8765R",
          "Tussar and ghicha silk from the looms of Nathnagar, Bhagalpur.",
          (_listing("Bhagalpur tussar silk saree", "5600", "6200", 5, (190, 150, 90),
                    "Handwoven tussar silk, natural gold sheen. भागलपुरी तसर साड़ी।"),
           _listing("Ghicha silk stole", "1900", "2100", 5, (160, 110, 70)),
           _listing("Linen-silk dupatta", "1500", "1700", 5, (140, 90, 60)))),
    Maker("puri@example.com", "Bhaskar Maharana", "Raghurajpur Pattachitra", "artisan", 21, 369,
          "Orissa Pattachitra", "Puri", "752012", "HNBPM9876S",
          "Pattachitra on cloth and palm leaf from the heritage village of Raghurajpur.",
          (_listing("Pattachitra Jagannath painting on cloth", "3500", "3900", 12, (200, 60, 30),
                    "Stone colours on tamarind-coated cloth. पट्टचित्र।"),
           _listing("Palm leaf engraving, Krishna leela", "2800", "3100", 12, (170, 130, 70)),
           _listing("Pattachitra painted kettle", "950", "1100", 12, (40, 100, 120)))),
    Maker("sambalpur@example.com", "Lata Meher", "Meher Bandha Looms", "weaver", 21, 371,
          "Sambalpuri Bandha Saree", "Sambalpur", "768001", "JPLPM1987T",
          "Sambalpuri bandha (ikat): every thread tie-dyed before weaving.",
          (_listing("Sambalpuri bandha cotton saree, red and black", "3200", "3600", 5,
                    (160, 30, 30), "Double ikat cotton, 6.3 m with blouse piece. संबलपुरी साड़ी।"),
           _listing("Sambalpuri silk saree, pasapali border", "9800", "10800", 5, (60, 40, 110)),
           _listing("Sambalpuri ikat dupatta", "1400", "1600", 5, (30, 100, 110)))),
    Maker("darjeeling@example.com", "Pema Sherpa", "Sherpa Tea Garden Co-op", "farmer", 19, 309,
          "Darjeeling Tea", "Darjeeling", "734101", "KQSPS2198U",
          "First and second flush tea from a small growers' garden above Ghoom.",
          (_listing("Darjeeling first flush black tea, 250 g", "950", "1050", 5, (150, 110, 50),
                    "Spring-picked, light and floral. दार्जिलिंग चाय।"),
           _listing("Darjeeling second flush muscatel tea, 250 g", "1150", "1250", 5,
                    (120, 70, 40)),
           _listing("Darjeeling green tea, 100 g", "480", "520", 5, (80, 130, 60)))),
    Maker("channapatna@example.com", "Syed Rafiq", "Rafiq Lacquer Toys", "artisan", 29, 631,
          "Channapatna Toys", "Channapatna", "562160", "LRSPR3219V",
          "Lacquered wooden toys turned by hand from ivory wood, coloured with vegetable dyes.",
          (_listing("Channapatna wooden stacking rings", "550", "600", 12, (220, 60, 50),
                    "Safe vegetable colours, for babies over 6 months. चन्नपटना खिलौने।"),
           _listing("Channapatna spinning tops, set of 3", "350", "400", 12, (240, 190, 40)),
           _listing("Wooden train with three coaches", "1200", "1350", 12, (40, 120, 180)),
           _listing("Kitchen set of lacquered toys", "900", "1000", 12, (200, 90, 140)))),
    Maker("ratnagiri@example.com", "Vinayak Sawant", "Sawant Hapus Farm", "farmer", 27, 492,
          "Alphonso Mangoes", "Ratnagiri", "415612", "MSVPS4329W",
          "GI-tagged Ratnagiri Alphonso (hapus), ripened in hay without carbide.",
          (_listing("Ratnagiri Alphonso mangoes, 1 dozen", "1400", "1600", 0, (240, 170, 30),
                    "Naturally ripened, packed in hay. रत्नागिरी हापुस आम।"),
           _listing("Alphonso mango pulp, 850 g tin", "380", "420", 12, (245, 150, 20)),
           _listing("Aam papad (mango leather), 400 g", "320", "350", 12, (200, 110, 30)))),
)


def add_makers(staff: User, echo=print) -> int:
    """Add each maker that is missing, approved with live listings. Returns listings added.

    Their own mail (application received, approved, each listing live: some fifty messages) is
    kept in memory, not printed: the terminal of `make run` is for the mail a person causes."""
    with seeding_config(MAIL_BACKEND="memory"):
        return _add_makers(staff, echo)


def _add_makers(staff: User, echo) -> int:
    from odop_bazaar.devdata.demo import _fill_application, _product_ids  # the demo's helpers

    added = 0
    for maker in MAKERS:
        if (db.session.scalar(select(User.id).where(User.email == maker.email)) is not None
                or not _product_ids(maker.district, (maker.product,))):
            continue  # there already, or the reference list has no such product here
        user = users.create_user(email=maker.email, password=MAKER_PASSWORD, full_name=maker.name,
                                 role=Role.SELLER, email_verified=True)
        seller = _fill_application(
            user, seller_type=maker.seller_type, state=maker.state, district=maker.district,
            products=(maker.product,), pan=maker.pan, pin=maker.pin, profile={
                "legal_name": maker.name, "display_name": maker.shop, "year_started": 2005,
                "languages": "Hindi, English", "story": maker.story,
                "grievance_name": maker.name, "grievance_phone": "9876500000",
                "grievance_email": maker.email, "address": f"{maker.shop}, Main Road",
                "city": maker.city})
        for row in list(seller.sections):
            sellers.decide_section(seller, SectionKey(row.key), verified=True, note="",
                                   actor=staff)
        sellers.approve_seller(seller, staff, "Welcome to ODOP Bazaar.")
        for item in maker.listings:
            _live_listing(seller, staff, item)
            added += 1
    if added:
        echo(f"  {added} more live listings from {len(MAKERS)} makers in "
             f"{len({maker.district for maker in MAKERS})} districts (password "
             f"{MAKER_PASSWORD}).")
    return added


def _live_listing(seller, staff: User, item: tuple) -> None:
    title, price, mrp, gst, colour, description = item
    listing = catalogue.create_listing(
        seller, {"odop_product_id": seller.products[0].id, "title": title,
                 "description": description or f"{title}, made by hand by {seller.display_name}.",
                 "unit": "piece", "net_quantity": "1", "gst_rate": gst},
        {"price": price, "mrp": mrp, "stock": "25", "made_to_order": False,
         "lead_time_days": ""})
    catalogue.add_photos(seller, listing, [catalogue.PhotoUpload("photo.jpg",
                                                                 drawn_photo(colour, title))])
    for photo in listing.working_content.photos:
        if photo.is_processing:  # a queue is configured: the demo does not wait for a worker
            process_listing_photo(photo.id)
    catalogue.submit_listing(seller, listing)
    catalogue.approve_listing(listing, staff)


def drawn_photo(colour: tuple[int, int, int], title: str) -> bytes:
    """A small drawn 'photo': the product's colour on a linen ground, with a motif that differs
    from title to title (rings, rays or stripes), so that cards can be told apart."""
    image = Image.new("RGB", (960, 720), (246, 241, 233))
    draw = ImageDraw.Draw(image)
    light = tuple(min(c + 70, 255) for c in colour)
    motif = sum(map(ord, title)) % 3
    draw.rounded_rectangle((120, 90, 840, 630), radius=40, fill=colour)
    if motif == 0:
        for radius in range(40, 260, 44):
            draw.ellipse((480 - radius, 360 - radius, 480 + radius, 360 + radius),
                         outline=light, width=10)
    elif motif == 1:
        for step in range(24):
            angle = step * math.pi / 12
            draw.line((480, 360, 480 + 240 * math.cos(angle), 360 + 240 * math.sin(angle)),
                      fill=light, width=8)
    else:
        for y in range(120, 620, 56):
            draw.rectangle((140, y, 820, y + 18), fill=light)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()
