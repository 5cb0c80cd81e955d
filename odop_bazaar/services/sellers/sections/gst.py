"""Section 'gst': the GSTIN, or why the seller does not need one."""

from typing import Any

from flask_babel import lazy_gettext as _l

from odop_bazaar import identifiers
from odop_bazaar.models.checklist import DocumentKind, SectionKey
from odop_bazaar.models.sellers import GstExemption, GstMode, Seller
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.sellers.sections.answers import checked, raise_if, text
from odop_bazaar.services.sellers.sections.base import Section


def complete(seller: Seller) -> bool:
    if seller.gst_mode == GstMode.REGISTERED:
        return bool(seller.gstin and seller.documents_of(DocumentKind.GST_CERTIFICATE))
    if seller.gst_mode == GstMode.EXEMPT:
        return bool(seller.gst_exemption) and (
            seller.gst_exemption != GstExemption.ENROLMENT or bool(seller.gst_enrolment_id))
    return False


def check(seller: Seller, data: dict) -> dict:
    mode = data.get("gst_mode") or None
    if mode not in (None, GstMode.REGISTERED, GstMode.EXEMPT):
        raise FieldErrors({"gst_mode": _l("Choose whether you have a GSTIN.")})
    values = {"gst_mode": mode, "gstin": None, "gst_exemption": None, "gst_enrolment_id": None}
    if mode == GstMode.REGISTERED:
        errors: dict[str, Any] = {}
        # The pickup address is in the seller's district, so its state is the seller's.
        values["gstin"] = checked(data, "gstin", errors, identifiers.validate_gstin,
                                  lgd_state_code=seller.state_lgd_code, pan_number=seller.pan)
        raise_if(errors)
    if mode == GstMode.EXEMPT:
        exemption = data.get("gst_exemption") or None
        if exemption and exemption not in {e.value for e in GstExemption}:
            raise FieldErrors({"gst_exemption": _l("Choose the reason from the list.")})
        values["gst_exemption"] = exemption
        if exemption == GstExemption.ENROLMENT:
            values["gst_enrolment_id"] = text(data, "gst_enrolment_id", 20)
    return values


def consistency(seller: Seller):
    """A PAN or a state entered after the GSTIN, which holds both."""
    return seller.gstin and identifiers.validate_gstin(
        seller.gstin, lgd_state_code=seller.state_lgd_code, pan_number=seller.pan)


SECTION = Section(
    SectionKey.GST, _l("GST"), _l("Your GSTIN, or why you do not need one."),
    ("gst_mode", "gstin", "gst_exemption", "gst_enrolment_id"),
    documents=(DocumentKind.GST_CERTIFICATE,),
    complete=complete, check=check, consistency=consistency)
