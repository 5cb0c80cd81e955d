"""The photo pipeline on real image bytes made with Pillow: what is kept, and what is refused."""

import io
import struct

import pytest
from PIL import Image, ImageCms
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, ListingPhoto
from odop_bazaar.services import catalogue as listings
from odop_bazaar.services.catalogue import images
from odop_bazaar.services.errors import FieldErrors
from tests.factories import make_jpeg, make_pdf, make_places, make_seller


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def test_a_phone_photo_comes_out_upright_without_metadata_in_every_size(app):
    with app.app_context():
        photo = images.process_photo(make_jpeg(4000, 3000, gps=True, orientation=6))
    assert (photo.width, photo.height) == (1200, 1600)  # rotated to portrait, 1600 long side
    seen = set()
    for variant in photo.variants:
        image = Image.open(io.BytesIO(variant.data))
        seen.add((variant.size, image.format))
        assert max(image.size) == variant.size
        assert image.size[1] > image.size[0], "portrait"
        assert not image.getexif(), "no EXIF, so no GPS position"
        assert "icc_profile" not in image.info and b"PhoneMaker" not in variant.data
    assert seen == {(s, f) for s in (1600, 800, 320) for f in ("WEBP", "JPEG")}


def test_a_small_photo_is_not_enlarged(app):
    with app.app_context():
        photo = images.process_photo(make_jpeg(640, 480))
    sizes = {v.size: Image.open(io.BytesIO(v.data)).size for v in photo.variants}
    assert sizes[1600] == sizes[800] == (640, 480) and sizes[320] == (320, 240)


def test_png_with_transparency_and_16_bit_and_cmyk_are_converted(app):
    rgba = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    sixteen = Image.new("I;16", (400, 400), 40000)
    cmyk = Image.new("CMYK", (400, 400), (0, 255, 255, 0))
    with app.app_context():
        for data in (encode(rgba, "PNG"), encode(sixteen, "PNG"), encode(cmyk, "JPEG")):
            photo = images.process_photo(data)
            first = Image.open(io.BytesIO(photo.variants[0].data))
            assert first.mode == "RGB"
        white = Image.open(io.BytesIO(images.process_photo(encode(rgba, "PNG")).variants[1].data))
        assert white.getpixel((10, 10)) == (255, 255, 255)  # transparency on white


def wide_gamut_profile() -> bytes:
    """An ICC v2 display profile with Adobe RGB (1998)'s primaries and a 2.2 gamma.

    Pillow can only create sRGB, Lab and XYZ profiles, and an sRGB photo converted to sRGB is
    unchanged, so a test with one passes whether or not the conversion happens. In this profile
    the same numbers are a more saturated colour, which sRGB writes differently.
    """
    def xyz(*values):
        return b"XYZ \0\0\0\0" + struct.pack(">3i", *(round(v * 65536) for v in values))

    d50 = (0.9642, 1.0, 0.8249)
    gamma = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256))
    name = b"Wide gamut test profile\0"
    desc = (b"desc\0\0\0\0" + struct.pack(">I", len(name)) + name
            + struct.pack(">IIHB", 0, 0, 0, 0) + b"\0" * 67)
    tags = [(b"desc", desc), (b"wtpt", xyz(*d50)), (b"rXYZ", xyz(0.60974, 0.31111, 0.01947)),
            (b"gXYZ", xyz(0.20528, 0.62567, 0.06087)), (b"bXYZ", xyz(0.14919, 0.06322, 0.74457)),
            (b"rTRC", gamma), (b"gTRC", gamma), (b"bTRC", gamma)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (struct.pack(">I4sI4s4s4s6H4s", offset + len(body), b"", 0x02100000, b"mntr",
                          b"RGB ", b"XYZ ", 2026, 1, 1, 0, 0, 0, b"acsp")
              + b"\0" * 24 + struct.pack(">I3i", 0, *(round(v * 65536) for v in d50)) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + body


RAW_RED = (200, 30, 30)


def in_srgb(colour: tuple[int, int, int], profile: bytes) -> tuple[int, int, int]:
    """What a colour written in this profile is in sRGB, as colour management computes it."""
    return ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour), ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.createProfile("sRGB"), outputMode="RGB").getpixel((0, 0))


def assert_converted(pixel, profile: bytes):
    expected = in_srgb(RAW_RED, profile)
    assert max(abs(a - b) for a, b in zip(expected, RAW_RED, strict=True)) > 25, "a real change"
    assert max(abs(a - b) for a, b in zip(pixel, expected, strict=True)) <= 6, (pixel, expected)


def test_a_photo_with_a_colour_profile_is_converted_and_the_profile_dropped(app):
    profile = wide_gamut_profile()
    image = Image.new("RGB", (400, 400), RAW_RED)
    with app.app_context():
        photo = images.process_photo(encode(image, "JPEG", icc_profile=profile, quality=95))
    for variant in photo.variants:
        result = Image.open(io.BytesIO(variant.data))
        assert "icc_profile" not in result.info
        assert_converted(result.convert("RGB").getpixel((100, 100)), profile)


def animated_webp() -> bytes:
    frames = [Image.new("RGB", (400, 400), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="WEBP", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


def bomb() -> bytes:
    return encode(Image.new("1", (12_000, 12_000)), "PNG")


@pytest.mark.parametrize("data, expected", [
    (b"", "empty"),
    (b"just some text", "not a JPEG, PNG, WebP or HEIC"),
    (make_pdf(), "not a JPEG, PNG, WebP or HEIC"),
    (encode(Image.new("RGB", (400, 400)), "GIF"), "not a JPEG, PNG, WebP or HEIC"),
    (make_jpeg(800, 600)[:3000], "damaged or incomplete"),
    (animated_webp(), "Animated"),
    (bomb(), "too large"),
    (make_jpeg(100, 100), "too small"),
])
def test_bad_photos_are_refused_with_a_clear_message(app, data, expected):
    with app.app_context(), pytest.raises(images.PhotoRefused, match=expected):
        images.process_photo(data)


def test_an_oversized_file_is_refused(app):
    app.config["PHOTO_MAX_BYTES"] = 10_000
    with app.app_context(), pytest.raises(images.PhotoRefused, match="larger than"):
        images.process_photo(make_jpeg(1200, 900))


def public_files(app):
    root = app.extensions["storage"]["public"].root
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def listing(app):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    with app.test_request_context():
        from odop_bazaar.models import Seller

        seller = db.session.get(Seller, seller_id)
        listing = listings.create_listing(
            seller, {"odop_product_id": seller.products[0].id, "title": "Saree", "gst_rate": 5,
                     "description": "Silk"},
            {"price": "100", "mrp": "100", "stock": "1"})
        return seller_id, listing.id


def test_one_bad_photo_in_a_batch_adds_none(app, listing):
    seller_id, listing_id = listing
    with app.test_request_context():
        from odop_bazaar.models import Seller

        seller, item = db.session.get(Seller, seller_id), db.session.get(Listing, listing_id)
        with pytest.raises(FieldErrors) as caught:
            listings.add_photos(seller, item, [listings.PhotoUpload("good.jpg", make_jpeg()),
                                               listings.PhotoUpload("bad.jpg", b"nope")])
        assert "bad.jpg" in str(caught.value.errors["photos"])
        assert db.session.scalar(select(func.count()).select_from(ListingPhoto)) == 0
    assert public_files(app) == []


def test_photos_are_stored_once_by_content_and_can_be_reordered(app, listing):
    seller_id, listing_id = listing
    with app.test_request_context():
        from odop_bazaar.models import Seller

        seller, item = db.session.get(Seller, seller_id), db.session.get(Listing, listing_id)
        a, b = make_jpeg(800, 600), make_jpeg(600, 800)
        listings.add_photos(seller, item, [listings.PhotoUpload("a.jpg", a),
                                           listings.PhotoUpload("b.jpg", b)])
        listings.add_photos(seller, item, [listings.PhotoUpload("a-again.jpg", a)])
        assert len(public_files(app)) == 12  # two photos, six files each; the repeat is shared
        photos = item.working_content.photos
        listings.change_photo(seller, item, photos[1].id, "cover")
        assert [p.width for p in item.working_content.photos] == [600, 800, 800]
        listings.change_photo(seller, item, item.working_content.photos[2].id, "remove")
        assert len(item.working_content.photos) == 2
        with pytest.raises(FieldErrors) as caught:
            listings.add_photos(seller, item, [listings.PhotoUpload(f"{n}.jpg", make_jpeg())
                                               for n in range(7)])
        assert "at most 8 photos" in str(caught.value.errors["photos"])


def iphone_heic() -> bytes:
    """A real HEIC as an iPhone takes it: landscape pixels turned upright by the file's rotation,
    with the GPS position in its EXIF. A blue corner shows which way up it comes out."""
    import pillow_heif

    image = Image.new("RGB", (800, 600), (200, 30, 30))
    image.paste((20, 40, 220), (0, 0, 150, 150))
    exif = Image.Exif()
    exif[0x0112] = 6  # pillow_heif writes this as the HEIF rotation, as the camera does
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (25.0, 19.0, 4.8), 3: "E", 4: (82.0, 58.0, 24.0)}
    heif = pillow_heif.from_pillow(image)
    out = io.BytesIO()
    heif.save(out, exif=exif.tobytes(), quality=90)
    return out.getvalue()


def test_an_iphone_heic_photo_is_stored_upright_as_webp_and_jpeg_without_its_gps(app, listing):
    data = iphone_heic()
    assert data[4:12] == b"ftypheic"
    seller_id, listing_id = listing
    with app.test_request_context():
        from odop_bazaar.models import Seller

        seller, item = db.session.get(Seller, seller_id), db.session.get(Listing, listing_id)
        listings.add_photos(seller, item, [listings.PhotoUpload("IMG_0042.HEIC", data)])
        assert [(p.width, p.height) for p in item.working_content.photos] == [(600, 800)]
    stored = public_files(app)
    assert {path.suffix for path in stored} == {".webp", ".jpg"} and len(stored) == 6
    for path in stored:
        image = Image.open(path)
        assert image.format == {".webp": "WEBP", ".jpg": "JPEG"}[path.suffix]
        assert image.size[1] > image.size[0], "portrait, as the phone showed it"
        assert not image.getexif() and b"PhoneMaker" not in path.read_bytes(), "no GPS position"
        image = image.convert("RGB")
        width, height = image.size
        # Turned a quarter to the right: the blue top-left corner is now top right.
        blue = image.getpixel((width - width // 16, height // 16))
        red = image.getpixel((width // 16, height // 16))
        assert blue[2] > 150 and blue[0] < 100, blue
        assert red[0] > 150 and red[2] < 100, red


def test_photos_are_public_only_while_a_buyer_can_see_the_listing(app, client, listing):
    from odop_bazaar.models import Role, Seller, User
    from tests.conftest import log_in
    from tests.factories import make_user

    seller_id, listing_id = listing
    make_user(app, role=Role.STAFF)
    with app.test_request_context():
        seller, item = db.session.get(Seller, seller_id), db.session.get(Listing, listing_id)
        listings.add_photos(seller, item, [listings.PhotoUpload("a.jpg", make_jpeg()),
                                           listings.PhotoUpload("b.jpg", make_jpeg(700, 500))])
        key = item.working_content.photos[0].key(320, "webp")
        removed_key = item.working_content.photos[1].key(320, "webp")
        owner_email = seller.user.email
    assert client.get(f"/media/{key}").status_code == 404  # a draft: not for the public
    owner = app.test_client()
    log_in(owner, owner_email)
    private = owner.get(f"/media/{key}")
    assert private.status_code == 200 and "no-store" in private.headers["Cache-Control"]

    with app.test_request_context():
        seller, item = db.session.get(Seller, seller_id), db.session.get(Listing, listing_id)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        listings.submit_listing(seller, item)
        listings.approve_listing(item, staff)
    public = client.get(f"/media/{key}")
    assert public.status_code == 200 and public.headers["Content-Type"] == "image/webp"
    assert public.headers["Cache-Control"].startswith("public")

    with app.test_request_context():
        seller, item = db.session.get(Seller, seller_id), db.session.get(Listing, listing_id)
        listings.change_photo(seller, item, item.working_content.photos[1].id, "remove")
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        listings.submit_listing(seller, item)
        listings.approve_listing(item, staff)
        assert not app.extensions["storage"]["public"].exists(removed_key), "files deleted"
        listings.remove_listing(item, staff, ["prohibited"], "")
    assert client.get(f"/media/{key}").status_code == 404
    for bad in ("../../config.py", "photos/00/" + "0" * 64 + "-320.webp", "documents/x"):
        assert client.get(f"/media/{bad}").status_code == 404


def test_a_transparent_photo_with_a_colour_profile_lands_on_white(app):
    profile = wide_gamut_profile()
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    image.paste((*RAW_RED, 255), (100, 100, 300, 300))
    with app.app_context():
        photo = images.process_photo(encode(image, "PNG", icc_profile=profile))
    result = Image.open(io.BytesIO(photo.variants[1].data)).convert("RGB")
    assert result.getpixel((10, 10)) == (255, 255, 255)
    assert_converted(result.getpixel((200, 200)), profile)
