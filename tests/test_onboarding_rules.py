"""Onboarding rules at the service level: what is required, what is refused, what staff may do."""

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import (
    AuditEntry,
    OdopProduct,
    OutboxMessage,
    Role,
    SectionKey,
    Seller,
    SellerDocument,
    User,
)
from odop_bazaar.services import sellers as onboarding
from odop_bazaar.services.workflow import InvalidTransition
from tests.conftest import log_in, submit
from tests.factories import admin_user, make_gstin, make_places, make_seller, make_user


@pytest.fixture
def places(app):
    return make_places(app)


def seller_and_staff(app, seller_id):
    seller = db.session.get(Seller, seller_id)
    staff = db.session.scalar(select(User).where(User.role.in_(["staff", "admin"])))
    if staff is None:
        make_user(app, role=Role.STAFF)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
    return seller, staff


def product_id(name):
    return db.session.scalar(select(OdopProduct.id).where(OdopProduct.name == name))


def test_a_product_of_another_district_is_refused(app, places):
    _, seller_id = make_seller(app, "new")
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        with pytest.raises(onboarding.FieldErrors) as caught:
            onboarding.save_section(seller, SectionKey.PRODUCTS, {
                "seller_type": "weaver", "state_lgd_code": 9, "district_lgd_code": 187,
                "product_ids": [product_id("Metal Craft")]})  # Moradabad's
        assert "product_ids" in caught.value.errors
        assert db.session.get(Seller, seller_id).district_lgd_code is None


def test_a_district_of_another_state_is_refused(app, places):
    _, seller_id = make_seller(app, "new")
    with app.test_request_context():
        with pytest.raises(onboarding.FieldErrors) as caught:
            onboarding.save_section(db.session.get(Seller, seller_id), SectionKey.PRODUCTS, {
                "seller_type": "weaver", "state_lgd_code": 30, "district_lgd_code": 187,
                "product_ids": []})
        assert "district_lgd_code" in caught.value.errors


def test_the_web_form_refuses_another_districts_product_and_keeps_the_answers(app, places):
    email, _ = make_seller(app, "new")
    client = app.test_client()
    log_in(client, email)
    with app.app_context():
        foreign = product_id("Metal Craft")
    response = submit(client, "/seller/onboarding/products", {
        "seller_type": "weaver", "state_lgd_code": "9", "district_lgd_code": "187",
        "product_ids": [str(foreign)], "save_continue": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose only products identified for your district" in page
    assert 'value="weaver" checked' in page or 'checked id="seller_type-1"' in page


def test_udyam_is_required_for_enterprises_and_fssai_for_food(app, places):
    with app.app_context():
        db.session.add(OdopProduct(district_lgd_code=187, name="Pickles", name_key="pickles",
                                   sector="Food Processing", rank="Others", gi_tagged=False,
                                   district_spelling="Varanasi"))
        db.session.commit()
    _, weaver = make_seller(app, "complete")
    _, shop = make_seller(app, "complete", seller_type="proprietorship",
                          product_names=("Pickles",))
    with app.test_request_context():
        weaver, shop = db.session.get(Seller, weaver), db.session.get(Seller, shop)
        assert not onboarding.section_required(weaver, SectionKey.UDYAM)
        assert not onboarding.section_required(weaver, SectionKey.CERTIFICATES)
        assert onboarding.checklist(weaver).due == []
        assert onboarding.section_required(shop, SectionKey.UDYAM)
        assert onboarding.section_required(shop, SectionKey.CERTIFICATES)
        due = {item.key for item in onboarding.checklist(shop).due}
        assert due == {SectionKey.UDYAM, SectionKey.CERTIFICATES}
        with pytest.raises(onboarding.IncompleteApplication):
            onboarding.submit_application(shop, shop.user)
        assert db.session.get(Seller, shop.id).status == "draft"


def test_changing_the_seller_type_after_the_pan_is_caught_before_submitting(app, places):
    _, seller_id = make_seller(app, "complete")
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        data = {"seller_type": "company", "state_lgd_code": 9, "district_lgd_code": 187,
                "product_ids": [p.id for p in seller.products]}
        onboarding.save_section(seller, SectionKey.PRODUCTS, data)
        due = onboarding.checklist(seller).due
        assert any(item.key == SectionKey.PAN and "4th letter" in str(item.message) for item in due)


def test_a_gstin_with_another_pan_is_refused(app, places):
    _, seller_id = make_seller(app, "complete")
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        with pytest.raises(onboarding.FieldErrors) as caught:
            onboarding.save_section(seller, SectionKey.GST, {
                "gst_mode": "registered", "gstin": make_gstin("09", "AAACR5055K")})
        assert "is not the PAN you gave" in str(caught.value.errors["gstin"])
        onboarding.save_section(seller, SectionKey.GST, {
            "gst_mode": "registered", "gstin": make_gstin("09", "ABCPE1234F")})
        assert db.session.get(Seller, seller_id).gstin.startswith("09ABCPE1234F")


def test_nothing_can_be_changed_while_staff_review_it(app, places):
    email, seller_id = make_seller(app, "submitted")
    with app.test_request_context():
        with pytest.raises(onboarding.NotEditable):
            onboarding.save_section(db.session.get(Seller, seller_id), SectionKey.ADDRESS,
                                    {"address_line1": "Elsewhere"})
    client = app.test_client()
    log_in(client, email)
    response = submit(client, "/seller/onboarding/address", {
        "address_line1": "Elsewhere", "address_city": "X", "address_pin": "221001",
        "save_later": "1"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Seller, seller_id).address_line1 == "1 Loom Lane"


def test_approval_needs_every_required_section_verified(app, places):
    _, seller_id = make_seller(app, "submitted")
    with app.test_request_context():
        seller, staff = seller_and_staff(app, seller_id)
        onboarding.decide_section(seller, SectionKey.PAN, verified=True, note="", actor=staff)
        with pytest.raises(onboarding.OnboardingError):
            onboarding.approve_seller(seller, staff)  # sections still undecided
        with pytest.raises(onboarding.OnboardingError):
            onboarding.request_changes(seller, staff)  # nothing marked as needing changes
        decide_all(seller, staff, except_for=("bank",))
        onboarding.decide_section(seller, SectionKey.BANK, verified=False, note="Blurred",
                                  actor=staff)
        with pytest.raises(onboarding.OnboardingError):
            onboarding.approve_seller(seller, staff)  # a required section needs changes
        assert db.session.get(Seller, seller_id).status == "in_review"
        onboarding.decide_section(seller, SectionKey.BANK, verified=True, note="", actor=staff)
        onboarding.approve_seller(seller, staff)
        assert db.session.get(Seller, seller_id).status == "approved"


def test_suspending_and_reinstating_need_a_reason_and_are_audited(app, places):
    _, seller_id = make_seller(app, "approved")
    with app.test_request_context():
        seller, staff = seller_and_staff(app, seller_id)
        assert seller.can_publish
        with pytest.raises(onboarding.FieldErrors):
            onboarding.suspend_seller(seller, admin_user(), "  ")
        onboarding.suspend_seller(seller, admin_user(), "Counterfeit GI claims")
        assert not db.session.get(Seller, seller_id).can_publish
        with pytest.raises(InvalidTransition):
            onboarding.suspend_seller(seller, admin_user(), "again")
        onboarding.reinstate_seller(seller, admin_user(), "Cleared after inquiry")
        assert db.session.get(Seller, seller_id).can_publish
        notes = db.session.scalars(select(AuditEntry.note).where(
            AuditEntry.object_id == seller_id, AuditEntry.to_status.in_(
                ["suspended", "approved"])).order_by(AuditEntry.id)).all()
        assert notes[-2:] == ["Counterfeit GI claims", "Cleared after inquiry"]


def test_a_seller_cannot_decide_their_own_review(app, places):
    email, seller_id = make_seller(app, "submitted")
    client = app.test_client()
    log_in(client, email)
    response = submit(client, f"/staff/sellers/{seller_id}/sections/pan", {"verify": "1"},
                      token_from="/seller/onboarding")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Seller, seller_id).status == "submitted"


def test_removing_a_document_deletes_the_file(app, places):
    email, seller_id = make_seller(app, "complete")
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        document = seller.documents_of("pan_card")[0]
        path = app.extensions["storage"]["private"]._path(document.storage_key)
        assert path.is_file()
        onboarding.remove_document(seller, document.id)
        assert not path.exists()
        assert db.session.get(SellerDocument, document.id) is None


def decide_all(seller, staff, *, except_for=()):
    for row in list(seller.sections):
        if row.status == "submitted" and row.key not in except_for:
            onboarding.decide_section(seller, SectionKey(row.key), verified=True, note="",
                                      actor=staff)


def test_a_verified_section_changed_during_changes_requested_is_reviewed_again(app, places):
    _, seller_id = make_seller(app, "submitted")
    with app.test_request_context():
        seller, staff = seller_and_staff(app, seller_id)
        decide_all(seller, staff, except_for=("bank",))
        onboarding.decide_section(seller, SectionKey.BANK, verified=False, note="Blurred",
                                  actor=staff)
        onboarding.request_changes(seller, staff)
        onboarding.save_section(seller, SectionKey.ADDRESS, {
            "address_line1": "2 Loom Lane", "address_city": "Town", "address_pin": "221001"})
        unchanged = onboarding.save_section(seller, SectionKey.BUSINESS, {
            "legal_name": "Test Seller", "display_name": "Test Looms", "year_started": 2001,
            "story": "We weave.", "languages": "Hindi", "grievance_name": "Test Seller",
            "grievance_phone": "9876543210", "grievance_email": "grievance@example.com"})
        assert unchanged is False
        assert onboarding.section_status(seller, SectionKey.BANK) == "needs_changes"
        with pytest.raises(onboarding.IncompleteApplication):
            onboarding.submit_application(seller, seller.user)  # the bank still needs changes
        onboarding.save_section(seller, SectionKey.BANK, {
            "bank_holder_name": "Test Seller", "bank_ifsc": "SBIN0000001"})
        onboarding.submit_application(seller, seller.user)
        statuses = {row.key: row.status for row in seller.sections}
        assert statuses["address"] == statuses["bank"] == "submitted"
        assert statuses["business"] == statuses["pan"] == "verified"


def test_changing_type_place_or_products_reopens_the_sections_that_depend_on_them(app, places):
    _, seller_id = make_seller(app, "submitted")
    with app.test_request_context():
        seller, staff = seller_and_staff(app, seller_id)
        decide_all(seller, staff, except_for=("gst",))
        onboarding.decide_section(seller, SectionKey.GST, verified=False, note="Which?",
                                  actor=staff)
        onboarding.request_changes(seller, staff)
        onboarding.save_section(seller, SectionKey.PRODUCTS, {
            "seller_type": "artisan", "state_lgd_code": 9, "district_lgd_code": 187,
            "product_ids": [product_id("Banarasi Silk Sarees")]})
        statuses = {row.key: row.status for row in seller.sections}
        assert statuses["products"] == statuses["pan"] == statuses["address"] == "in_progress"
        assert statuses["business"] == "verified"


def test_pickup_pin_must_be_in_the_sellers_state_and_digits_may_be_devanagari(app, places):
    _, seller_id = make_seller(app, "complete")
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        with pytest.raises(onboarding.FieldErrors) as caught:
            onboarding.save_section(seller, SectionKey.ADDRESS, {
                "address_line1": "x", "address_city": "Mumbai", "address_pin": "400001"})
        assert "start with 2" in str(caught.value.errors["address_pin"])
        onboarding.save_section(seller, SectionKey.BANK, {
            "bank_holder_name": "T", "bank_ifsc": "SBIN0001234",
            "bank_account_number": "१२३४५६७८९०", "bank_account_confirm": "1234567890"})
        assert db.session.get(Seller, seller_id).bank_account_number == "1234567890"
        with pytest.raises(onboarding.FieldErrors):
            onboarding.save_section(seller, SectionKey.BANK, {
                "bank_holder_name": "T", "bank_ifsc": "SBIN0001234",
                "bank_account_number": "²²²²²²²²²²", "bank_account_confirm": "²²²²²²²²²²"})


def test_new_terms_need_a_new_acceptance(app, places):
    _, seller_id = make_seller(app, "complete")
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        first = seller.terms_accepted_at
        onboarding.save_section(seller, SectionKey.DECLARATIONS, {"accept_terms": True})
        assert db.session.get(Seller, seller_id).terms_accepted_at == first
        app.config["SELLER_TERMS_VERSION"] = "2027-01"
        onboarding.save_section(seller, SectionKey.DECLARATIONS, {"accept_terms": True})
        seller = db.session.get(Seller, seller_id)
        assert seller.terms_version == "2027-01" and seller.terms_accepted_at > first


def test_staff_see_the_gst_exemption_and_the_masked_account(app, places):
    _, seller_id = make_seller(app, "submitted")
    staff = app.test_client()
    log_in(staff, make_user(app, role=Role.STAFF))
    page = staff.get(f"/staff/sellers/{seller_id}").get_data(as_text=True)
    assert "handicraft goods made by hand" in page
    assert "XXXXXXXX9012" in page and "123456789012" not in page


@pytest.mark.parametrize("data", [
    {"state_lgd_code": "99999999999", "refresh": "1"},
    {"state_lgd_code": "9", "district_lgd_code": "२२", "refresh": "1"},
    {"state_lgd_code": "9", "district_lgd_code": "187", "product_ids": "abc",
     "save_continue": "1"},
    {"seller_type": "spaceship", "save_continue": "1"},
])
def test_malformed_answers_are_a_clear_4xx(app, places, data):
    email, seller_id = make_seller(app, "new")
    client = app.test_client()
    log_in(client, email)
    response = submit(client, "/seller/onboarding/products", data)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Seller, seller_id).district_lgd_code is None


@pytest.mark.parametrize("query", ["?state=²", "?state=99999999999999999999", "?district=abc",
                                   "?seller_type=%00", "?sector=nonsense"])
def test_odd_queue_filters_do_not_break_the_queue(app, places, query):
    make_seller(app, "submitted")
    staff = app.test_client()
    log_in(staff, make_user(app, role=Role.STAFF))
    assert staff.get("/staff/sellers" + query).status_code in (200, 400)


def test_a_mail_failure_does_not_undo_or_break_a_submission_or_decision(app, places):
    email, seller_id = make_seller(app, "complete")
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    client = app.test_client()
    log_in(client, email)
    response = submit(client, "/seller/onboarding/submit", {}, token_from="/seller/onboarding",
                      follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():  # the mail waits in the outbox, to be tried again
        assert db.session.scalar(select(OutboxMessage.status)) == "pending"
    staff = app.test_client()
    log_in(staff, make_user(app, role=Role.STAFF))
    with app.test_request_context():
        seller, staff_user = seller_and_staff(app, seller_id)
        decide_all(seller, staff_user)
    response = submit(staff, f"/staff/sellers/{seller_id}/decision", {"approve": "1"},
                      token_from=f"/staff/sellers/{seller_id}")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Seller, seller_id).status == "approved"


def test_a_missing_file_is_a_404_not_a_500(app, places):
    email, seller_id = make_seller(app, "complete")
    with app.app_context():
        document = db.session.get(Seller, seller_id).documents[0]
        app.extensions["storage"]["private"].delete(document.storage_key)
        path = f"/documents/{document.id}"
    client = app.test_client()
    log_in(client, email)
    assert client.get(path).status_code == 404


def test_a_post_with_no_decision_button_is_refused(app, places):
    _, seller_id = make_seller(app, "submitted")
    staff = app.test_client()
    log_in(staff, make_user(app, role=Role.STAFF))
    for path in (f"/staff/sellers/{seller_id}/sections/pan", f"/staff/sellers/{seller_id}/decision"):
        assert submit(staff, path, {"note": "x"}, token_from="/staff/sellers").status_code == 400
    admin = app.test_client()
    log_in(admin, make_user(app, role=Role.ADMIN))
    assert submit(admin, f"/staff/sellers/{seller_id}/suspension", {"note": "x"},
                  token_from="/staff/sellers").status_code == 400
    with app.app_context():
        seller = db.session.get(Seller, seller_id)
        assert seller.status == "submitted"
        assert onboarding.section_status(seller, SectionKey.PAN) == "submitted"
