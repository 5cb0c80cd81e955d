"""Onboarding rules at the service level: what is required, what is refused, what staff may do."""

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import (
    AuditEntry,
    OdopProduct,
    Role,
    SectionKey,
    Seller,
    SellerDocument,
    User,
)
from odop_bazaar.services import onboarding
from odop_bazaar.services.workflow import InvalidTransition
from tests.conftest import log_in, submit
from tests.factories import make_places, make_seller, make_user


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
    from tests.test_identifiers import make_gstin

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
            onboarding.approve_seller(seller, staff)
        with pytest.raises(onboarding.OnboardingError):
            onboarding.request_changes(seller, staff)  # nothing marked as needing changes
        assert db.session.get(Seller, seller_id).status == "in_review"


def test_suspending_and_reinstating_need_a_reason_and_are_audited(app, places):
    _, seller_id = make_seller(app, "approved")
    with app.test_request_context():
        seller, staff = seller_and_staff(app, seller_id)
        assert seller.can_publish
        with pytest.raises(onboarding.FieldErrors):
            onboarding.suspend_seller(seller, staff, "  ")
        onboarding.suspend_seller(seller, staff, "Counterfeit GI claims")
        assert not db.session.get(Seller, seller_id).can_publish
        with pytest.raises(InvalidTransition):
            onboarding.suspend_seller(seller, staff, "again")
        onboarding.reinstate_seller(seller, staff, "Cleared after inquiry")
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
