"""Journey 1, on a phone: a weaver registers, confirms her email, fills in every section of her
seller application with real uploads, is asked by staff to change one, fixes it, is approved,
lists a saree with two photos in Hindi, and finds it on the shop once staff approve it."""

import re
from email.message import EmailMessage

import pytest

from odop_bazaar.models import Role
from tests.browser.conftest import (
    DESK,
    SAREE,
    click_through,
    flash,
    go_to,
    h1,
    log_in,
)
from tests.factories import PASSWORD, make_jpeg, make_pdf, make_places, make_user

expect = pytest.importorskip("playwright.sync_api").expect

EMAIL = "meera@example.com"
BLURRED = "The cheque photo is blurred; upload a sharper one."
DESCRIPTION = ("हाथ से बुनी शुद्ध रेशमी साड़ी, सुनहरी ज़री का बॉर्डर। "
               "Pure silk, handwoven in Sarai Mohana, with a gold zari border.")


def files(tmp_path) -> dict:
    """Documents and photos as a phone would hold them."""
    made = {"pan.jpg": make_jpeg(gps=True), "udyam.pdf": make_pdf("Udyam certificate"),
            "cheque.pdf": make_pdf("Cancelled cheque"), "cheque-sharp.jpg": make_jpeg(),
            "artisan-card.jpg": make_jpeg(800, 500), "saree-front.jpg": make_jpeg(1200, 900),
            "saree-border.jpg": make_jpeg(900, 1200)}
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    return {name: str(tmp_path / name) for name in made}


def verification_link(outbox) -> str:
    mails: list[EmailMessage] = [m for m in outbox if m["To"] == EMAIL]
    assert mails, "no mail to the new seller"
    return re.search(r"https?://\S+/verify-email/\S+", mails[-1].get_content()).group(0)


def save_and_continue(page, next_title: str | None) -> None:
    click_through(page, page.get_by_role("button", name="Save and continue"))
    expect(flash(page)).to_contain_text("Saved.")
    if next_title:
        expect(h1(page)).to_have_text(next_title)


def fill_in_every_section(page, journey, upload) -> None:
    page.get_by_role("link", name="Seller type, district and products", exact=True).click()
    expect(h1(page)).to_have_text("Seller type, district and products")
    # The district list follows the state, and the products the district, in place: the page
    # does not reload (a marker set on it survives), and the district list takes the focus.
    page.evaluate("window.stillThisPage = true")
    page.get_by_label("State or union territory").select_option(label="Uttar Pradesh")
    expect(page.get_by_label("District").locator("option", has_text="Varanasi")).to_have_count(1)
    expect(page.get_by_label("District")).to_be_focused()
    page.get_by_label("District").select_option(label="Varanasi")
    expect(page.get_by_role("checkbox", name="Banarasi Silk Sarees")).to_be_visible()
    assert page.evaluate("window.stillThisPage") is True
    page.get_by_role("radio", name="Weaver").check()
    expect(page.get_by_role("checkbox", name="Metal Craft")).to_have_count(0)
    page.get_by_role("checkbox", name="Banarasi Silk Sarees").check()
    journey.check_width(page, "products section")
    save_and_continue(page, "Business profile")

    page.get_by_label("Legal name").fill("Meera Devi")
    page.get_by_label("Name shown to buyers").fill("Meera's Looms")
    page.get_by_label("Year you started").fill("1998")
    page.get_by_label("Your story").fill("तीन पीढ़ियों से सराय मोहाना में बुनकर। Three generations "
                                          "of weavers.")
    page.get_by_label("Languages you speak").fill("Hindi, Bhojpuri")
    page.get_by_label("Grievance officer: name").fill("Meera Devi")
    page.get_by_label("Grievance officer: mobile number").fill("98765 43210")
    page.get_by_label("Grievance officer: email address").fill("meera@example.com")
    save_and_continue(page, "PAN")

    journey.shoot(page, "pan-section")
    page.get_by_label("PAN", exact=True).fill("abcpe1234f")
    page.get_by_label("Name as on the PAN card").fill("MEERA DEVI")
    page.get_by_label("Copy of the PAN card").set_input_files(upload["pan.jpg"])
    save_and_continue(page, "Aadhaar")

    page.get_by_label("Aadhaar number").fill("2341 2341 2346")
    click_through(page, page.get_by_role("button", name="Check and save the last four digits"))
    expect(flash(page)).to_contain_text("We kept only the last four digits.")
    expect(h1(page)).to_have_text("Udyam registration")

    page.get_by_label("Udyam registration number").fill("UDYAM-UP-12-0001234")
    page.get_by_label("Udyam registration certificate (optional)").set_input_files(
        upload["udyam.pdf"])
    save_and_continue(page, "GST")

    page.get_by_role("radio", name="No, I am exempt").check()
    page.get_by_role("radio", name=re.compile("handicraft goods made by hand")).check()
    save_and_continue(page, "Bank account for payouts")

    page.get_by_label("Account holder's name").fill("Meera Devi")
    page.get_by_label("Account number", exact=True).fill("123456789012")
    page.get_by_label("Account number again").fill("123456789012")
    page.get_by_label("IFSC").fill("sbin0001234")
    page.get_by_label("Cancelled cheque or first page of the passbook").set_input_files(
        upload["cheque.pdf"])
    save_and_continue(page, "Pickup address")

    page.get_by_label("House, building or workshop").fill("House 12, Weavers Lane")
    page.get_by_label("Town or city").fill("Varanasi")
    page.get_by_label("PIN code").fill("221001")
    save_and_continue(page, "Certificates")

    page.get_by_label("Artisan (Pehchan) or weaver identity card (optional)").set_input_files(
        upload["artisan-card.jpg"])
    save_and_continue(page, "Declarations")

    page.get_by_label("I accept the seller terms above").check()
    save_and_continue(page, "Your seller application")


def decide_every_section(staff, *, except_for: str | None = None) -> None:
    """Press "Verified" on each section waiting for a decision (but one): saved in place."""
    for section in staff.locator("section.review-section").all():
        key = section.get_attribute("id").removeprefix("section-")
        verify = section.get_by_role("button", name="Verified")
        if key != except_for and verify.count():
            verify.click()
            expect(staff.locator(f"#section-{key} h2 .tag")).to_have_text("Verified")
            expect(staff.locator("#review-announcer")).to_contain_text("Decision saved for")


def test_a_weaver_onboards_is_sent_back_once_is_approved_and_lists_a_saree(
        live_server, start_journey, tmp_path):
    app = live_server.app
    make_places(app)
    staff_email = make_user(app, role=Role.STAFF)
    upload = files(tmp_path)
    journey = start_journey(live_server, "seller")
    seller = journey.page("seller")

    # Register on a phone, then confirm the email address from the link in the mail.
    seller.goto("/")
    go_to(seller, "Register")
    expect(h1(seller)).to_have_text("Create an account")
    journey.shoot(seller, "register")
    seller.get_by_role("radio", name=re.compile("Sell my district")).check()
    seller.get_by_label("Full name").fill("Meera Devi")
    seller.get_by_label("Email address").fill(EMAIL)
    seller.get_by_label("Mobile number (optional)").fill("98765 43210")
    seller.get_by_label("Password", exact=True).fill(PASSWORD)
    seller.get_by_label("Password again").fill(PASSWORD)
    click_through(seller, seller.get_by_role("button", name="Create account"))
    expect(h1(seller)).to_have_text("Your seller application")
    expect(flash(seller)).to_contain_text(f"We have sent a link to {EMAIL}")
    expect(seller.get_by_text(re.compile(r"0 of \d+ required sections done"))).to_be_visible()

    seller.goto(verification_link(live_server.outbox))
    expect(flash(seller)).to_contain_text("your email address is confirmed")
    expect(h1(seller)).to_have_text("Your account")
    expect(seller.locator(".tag", has_text="Confirmed")).to_be_visible()

    # Every section, one short page at a time, with real files from the phone.
    go_to(seller, "Your seller application")
    fill_in_every_section(seller, journey, upload)
    expect(seller.get_by_role("heading", name="Ready to submit")).to_be_visible()
    done = seller.get_by_text(re.compile(r"(\d+) of (\d+) required sections done")).first
    first, total = re.search(r"(\d+) of (\d+)", done.inner_text()).groups()
    assert first == total
    journey.shoot(seller, "application-ready")
    click_through(seller, seller.get_by_role("button", name="Submit for review"))
    expect(flash(seller)).to_contain_text("Your application is with our staff")
    expect(seller.locator(".application-status")).to_contain_text("Submitted")

    # Staff, at a desk in their own browser: one section needs changing.
    staff = journey.page("staff", DESK)
    log_in(staff, staff_email)
    go_to(staff, "Review sellers")
    expect(h1(staff)).to_have_text("Sellers waiting for review")
    click_through(staff, staff.get_by_role("link", name="Meera Devi"))
    expect(h1(staff)).to_have_text("Meera Devi")
    expect(staff.get_by_text("XXXXXXXX9012")).to_be_visible()  # the account number, masked
    decide_every_section(staff, except_for="bank")
    bank = staff.locator("#section-bank")
    bank.get_by_label(re.compile("^Reason")).fill(BLURRED)
    bank.get_by_role("button", name="Needs changes").click()
    expect(staff.locator("#section-bank h2 .tag")).to_have_text("Needs changes")
    expect(staff.locator("#section-bank")).to_contain_text(BLURRED)
    journey.shoot(staff, "staff-review")
    click_through(staff, staff.get_by_role("button", name="Send back for changes"))
    expect(flash(staff)).to_contain_text("Decision saved.")

    # The seller sees why, fixes the bank section and sends the application again.
    seller.reload()
    expect(seller.locator(".reviewer-note")).to_contain_text(BLURRED)
    journey.shoot(seller, "application-changes-requested")
    click_through(seller, seller.get_by_role("link", name="Bank account for payouts", exact=True))
    expect(seller.locator(".notice-error")).to_contain_text(BLURRED)
    seller.get_by_label("Cancelled cheque or first page of the passbook").set_input_files(
        upload["cheque-sharp.jpg"])
    click_through(seller, seller.get_by_role("button", name="Save and come back later"))
    expect(flash(seller)).to_contain_text("Saved.")
    click_through(seller, seller.get_by_role("button", name="Submit for review"))
    expect(flash(seller)).to_contain_text("Your application is with our staff")

    # Staff verify the new proof and approve the seller.
    go_to(staff, "Review sellers")
    click_through(staff, staff.get_by_role("link", name="Meera Devi"))
    expect(staff.locator("#section-bank")).to_contain_text("Submitted")
    decide_every_section(staff)
    staff.get_by_label("Note to the seller (optional)").fill("Welcome!")
    click_through(staff, staff.get_by_role("button", name="Approve seller"))
    expect(flash(staff)).to_contain_text("Decision saved.")

    seller.reload()
    expect(seller.get_by_text("You are approved as a seller")).to_be_visible()

    # A listing in Hindi with two photos, sent for review.
    go_to(seller, "Your listings")
    click_through(seller, seller.get_by_role("link", name="List a product"))
    seller.get_by_label("ODOP product").select_option(label="Banarasi Silk Sarees")
    seller.get_by_label("Title", exact=True).fill(SAREE)
    seller.get_by_label("Description", exact=True).fill(DESCRIPTION)
    seller.get_by_label("Net quantity").fill("1")
    seller.get_by_label("Unit of sale").select_option("piece")
    seller.get_by_label("HSN code").fill("5007")
    seller.get_by_label("Price in rupees, with GST").fill("12,500")
    seller.get_by_label("MRP in rupees").fill("14000")
    seller.get_by_label("Stock", exact=True).fill("3")
    journey.check_width(seller, "new listing")
    click_through(seller, seller.get_by_role("button", name="Save and add photos"))
    expect(flash(seller)).to_contain_text("Now add photos")
    expect(h1(seller)).to_have_text(SAREE)
    seller.get_by_label("Add photos").set_input_files([upload["saree-front.jpg"],
                                                       upload["saree-border.jpg"]])
    click_through(seller, seller.get_by_role("button", name="Upload"))
    expect(flash(seller)).to_contain_text("2 photos added.")
    expect(seller.locator("#photos img")).to_have_count(2)
    click_through(seller, seller.get_by_role("button", name="Submit for review"))
    expect(flash(seller)).to_contain_text("Sent for review.")
    journey.shoot(seller, "listing-submitted")

    # Staff approve it; a visitor finds it on the shop.
    go_to(staff, "Review listings")
    click_through(staff, staff.get_by_role("link", name=SAREE))
    expect(staff.get_by_role("img", name=f"Photo 2 of {SAREE}")).to_be_visible()
    click_through(staff, staff.get_by_role("button", name="Approve", exact=True))
    expect(flash(staff)).to_contain_text("Decision saved.")

    visitor = journey.page("visitor")
    visitor.goto("/")
    expect(visitor.get_by_role("heading", name="New on ODOP Bazaar")).to_be_visible()
    click_through(visitor, visitor.locator(".product-card").get_by_role("heading", name=SAREE))
    expect(h1(visitor)).to_have_text(SAREE)
    expect(visitor.get_by_text("हाथ से बुनी शुद्ध रेशमी साड़ी")).to_be_visible()
    expect(visitor.get_by_text("From Meera's Looms")).to_be_visible()
    expect(visitor.locator(".product-photos img")).to_have_count(2)
    journey.shoot(visitor, "product")

    journey.finish()
