"""Section 'products': the seller type, the district and which of its ODOP products they make."""

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models.checklist import SectionKey
from odop_bazaar.models.reference import District, OdopProduct, State
from odop_bazaar.models.sellers import Seller, SellerType
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.sellers.sections.base import Section, store_attributes


def complete(seller: Seller) -> bool:
    return bool(seller.seller_type and seller.district_lgd_code and seller.products)


def check(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    seller_type = data.get("seller_type") or None
    if seller_type and seller_type not in {t.value for t in SellerType}:
        errors["seller_type"] = _l("Choose one of the seller types.")
    state_code, district_code = data.get("state_lgd_code"), data.get("district_lgd_code")
    state = db.session.get(State, state_code) if state_code else None
    district = db.session.get(District, district_code) if district_code else None
    if state_code and state is None:
        errors["state_lgd_code"] = _l("Choose your state or union territory from the list.")
    if district_code and (district is None or state is None
                          or district.state_lgd_code != state.lgd_code):
        errors["district_lgd_code"] = _l("Choose a district of the state you chose.")
    product_ids = sorted(set(data.get("product_ids") or []))
    if product_ids:
        valid = set(db.session.scalars(select(OdopProduct.id).where(
            OdopProduct.id.in_(product_ids),
            OdopProduct.district_lgd_code == (district.lgd_code if district else -1),
            OdopProduct.retired_at.is_(None))))
        if set(product_ids) != valid:
            errors["product_ids"] = _l("Choose only products identified for your district.")
    if errors:
        raise FieldErrors(errors)
    return {"seller_type": seller_type, "state_lgd_code": state.lgd_code if state else None,
            "district_lgd_code": district.lgd_code if district else None,
            "product_ids": product_ids if district else []}


def store(seller: Seller, values: dict) -> bool:
    """The products are a list of ids in the answers and a relationship on the seller."""
    product_ids = values["product_ids"]
    changed = store_attributes(seller, {name: value for name, value in values.items()
                                        if name != "product_ids"})
    if sorted(product.id for product in seller.products) != product_ids:
        seller.products = list(db.session.scalars(
            select(OdopProduct).where(OdopProduct.id.in_(product_ids)))) if product_ids else []
        changed = True
    return changed


SECTION = Section(
    SectionKey.PRODUCTS, _l("Seller type, district and products"),
    _l("Who you are and which of your district's ODOP products you make or grow."),
    ("seller_type", "state_lgd_code", "district_lgd_code", "product_ids"),
    complete=complete, check=check, store=store)
