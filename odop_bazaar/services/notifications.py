"""Emails to people, written from templates/email/ in the recipient's language."""

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from odop_bazaar import i18n
from odop_bazaar.localized import HINDI, localized
from odop_bazaar.mail import send_mail
from odop_bazaar.models.accounts import User
from odop_bazaar.models.checklist import SectionStatus
from odop_bazaar.models.orders import OrderStatus
from odop_bazaar.models.returns import ReturnStatus
from odop_bazaar.services.accounts import staff_scope, users
from odop_bazaar.services.complaints import queries as complaint_queries
from odop_bazaar.services.sellers import SPEC


def _link(user: User, endpoint: str, **values) -> str:
    """A link for this person's email, in their language, whichever page sends it."""
    if not has_request_context() and not current_app.config.get("SERVER_NAME"):
        # A command or the worker on a development machine (production requires SERVER_NAME):
        # mail written outside any request links to where `make run` serves the site.
        with current_app.test_request_context(base_url=current_app.config["LINK_BASE_URL"]):
            return _link(user, endpoint, **values)
    return i18n.in_language(url_for(endpoint, _external=True, **values), user.locale or "en")


def _send(user: User, subject, template: str, **context) -> None:
    with force_locale(user.locale or "en"):
        body = render_template(template, user=user, **context)
        send_mail(user.email, str(subject), body)


def send_email_verification(user: User) -> None:
    """Mail the link that confirms this address belongs to the account holder."""
    token = users.make_token(user, users.EMAIL_VERIFICATION)
    link = _link(user, "auth.verify_email", token=token)
    _send(user, _l("Confirm your email address for ODOP Bazaar"), "email/verify_email.txt", link=link)


def send_password_reset(user: User) -> None:
    """Mail a single-use, expiring link to choose a new password."""
    token = users.make_token(user, users.PASSWORD_RESET)
    link = _link(user, "auth.reset_password", token=token)
    _send(user, _l("Reset your ODOP Bazaar password"), "email/reset_password.txt", link=link)


def send_staff_invitation(user: User, admin: User) -> None:
    """Welcome a new staff account, with the link to choose its password."""
    token = users.make_token(user, users.PASSWORD_RESET)
    link = _link(user, "auth.reset_password", token=token)
    _send(user, _l("Your ODOP Bazaar staff account"), "email/staff_invitation.txt", link=link,
          admin=admin)


def send_seller_submitted(seller) -> None:
    """Tell the seller their application reached staff."""
    link = _link(seller.user, "onboarding.checklist")
    _send(seller.user, _l("Your ODOP Bazaar seller application is submitted"),
          "email/seller_submitted.txt", seller=seller, link=link)


def send_seller_decision(seller, decision: str, note: str = "") -> None:
    """Tell the seller what staff decided: approved, changes_requested, suspended, reinstated."""
    subjects = {
        "approved": _l("You are approved as a seller on ODOP Bazaar"),
        "changes_requested": _l("Your ODOP Bazaar seller application needs some changes"),
        "suspended": _l("Your ODOP Bazaar seller account is suspended"),
        "reinstated": _l("Your ODOP Bazaar seller account is active again"),
    }
    changes = [(SPEC[row.key].title, row.reviewer_note) for row in seller.sections
               if row.status == SectionStatus.NEEDS_CHANGES]
    link = _link(seller.user, "onboarding.checklist")
    _send(seller.user, subjects[decision], f"email/seller_{decision}.txt", seller=seller,
          note=note, changes=changes, link=link)


def send_listing_decision(listing, decision: str, note: str = "") -> None:
    """Tell the seller what staff decided about a listing: approve, request_changes, remove."""
    subjects = {
        "approve": _l("Your listing is live on ODOP Bazaar"),
        "request_changes": _l("Your ODOP Bazaar listing needs some changes"),
        "remove": _l("Your listing was removed from ODOP Bazaar"),
    }
    link = _link(listing.seller.user, "listings.edit", listing_id=listing.id)
    _send(listing.seller.user, subjects[decision], f"email/listing_{decision}.txt",
          listing=listing, content=listing.working_content, note=note,
          reasons=[code.label for code in listing.reason_codes], link=link)


def send_order_placed(checkout) -> None:
    """Confirm an order to its buyer, and tell each seller what to send."""
    link = _link(checkout.buyer, "orders.order", reference=checkout.reference)
    _send(checkout.buyer, _l("Your ODOP Bazaar order %(reference)s", reference=checkout.reference),
          "email/order_placed.txt", checkout=checkout, link=link)
    for order in checkout.orders:
        _send(order.seller.user, _l("New order %(reference)s", reference=order.reference),
              "email/order_new.txt", order=order, checkout=checkout,
              link=_link(order.seller.user, "orders.seller_orders"))


def send_order_status(order) -> None:
    """Tell the buyer (and, for a cancellation, the seller) an order's new status."""
    link = _link(order.buyer, "orders.order", reference=order.checkout.reference)
    _send(order.buyer, _l("Order %(reference)s: %(status)s", reference=order.reference,
                          status=order.status_enum.label),
          "email/order_status.txt", order=order, link=link)
    if order.status in OrderStatus.UNDONE and order.cancelled_by != "seller":
        _send(order.seller.user, _l("Order %(reference)s is cancelled", reference=order.reference),
              "email/order_status.txt", order=order,
              link=_link(order.seller.user, "orders.seller_orders"))


def send_complaint_opened(complaint) -> None:
    """Give the person who opened a complaint its ticket number and the page to follow it."""
    link = _link(complaint.opener, "complaints.ticket", reference=complaint.reference)
    _send(complaint.opener, _l("Your complaint %(reference)s", reference=complaint.reference),
          "email/complaint_opened.txt", complaint=complaint,
          about=complaint_queries.subject_of(complaint), link=link)


def send_complaint_update(complaint) -> None:
    """Tell the person who opened a complaint what the grievance officer did or wrote."""
    link = _link(complaint.opener, "complaints.ticket", reference=complaint.reference)
    latest = complaint.messages[-1] if complaint.messages else None
    _send(complaint.opener, _l("Your complaint %(reference)s: %(status)s",
                               reference=complaint.reference,
                               status=complaint.status_enum.label),
          "email/complaint_update.txt", complaint=complaint,
          message=latest.body if latest is not None and latest.from_staff else "", link=link)


def send_return_status(request) -> None:
    """Tell the buyer and the seller where a return is now (each in their language), and the
    staff of the seller's place when a refusal is escalated to them."""
    subject = _l("Return R%(number)d: %(status)s", number=request.id,
                 status=request.status_enum.label)
    _send(request.buyer, subject, "email/return_status.txt", request=request,
          link=_link(request.buyer, "orders.buyer_return", return_id=request.id))
    seller_user = request.seller.user
    _send(seller_user, subject, "email/return_status.txt", request=request,
          link=_link(seller_user, "orders.seller_returns"))
    if request.status == ReturnStatus.ESCALATED:  # the seller refused a reason the law protects
        for staff in staff_scope.staff_covering(request.seller):
            _send(staff, subject, "email/return_status.txt", request=request,
                  link=_link(staff, "staff.returns"))


def send_refund_paid(refund) -> None:
    """Tell the buyer that staff have sent their refund to their bank account or UPI id."""
    order = refund.order
    link = _link(order.buyer, "orders.order", reference=order.checkout.reference)
    _send(order.buyer, _l("Refund for order %(reference)s is paid", reference=order.reference),
          "email/refund_paid.txt", refund=refund, order=order, link=link)


def send_back_in_stock(user: User, listing) -> None:
    """Tell a buyer who asked that a sold-out product is for sale again."""
    content = listing.live_content
    link = _link(user, "shop.product", listing_id=listing.id)
    title = localized(content, "title", hindi=user.locale == HINDI)
    _send(user, _l("Back in stock: %(title)s", title=title), "email/back_in_stock.txt",
          title=title, link=link, alerts_link=_link(user, "shop.stock_alerts"))
