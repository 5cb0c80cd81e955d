"""Staff on a phone: the dashboard leads with the figures that need acting on, its charts can be
read, and a seller application is approved without a page load per section."""

import pytest
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Role, Seller
from tests.browser.axe_helpers import assert_no_serious_axe_findings
from tests.browser.conftest import DESK, PHONE, click_through, log_in, stock_the_shop
from tests.factories import make_seller, make_user

expect = pytest.importorskip("playwright.sync_api").expect

# For each chart label: its font size as drawn on the screen (the SVG is scaled to the page).
_LABEL_SIZES = """
() => [...document.querySelectorAll(".chart-label, .chart-value")].map((text) => {
  const svg = text.ownerSVGElement;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return parseFloat(getComputedStyle(text).fontSize) * scale;
})
"""
_BAR_WIDTHS = """
() => [...document.querySelectorAll(".chart-bar")].map((bar) => bar.getBoundingClientRect().width)
"""


def test_the_dashboard_on_a_phone_leads_with_the_headline_figures(live_server, start_journey):
    stock_the_shop(live_server.app)  # Goa has no seller: its bar is at 0 %
    make_seller(live_server.app, "submitted")
    journey = start_journey(live_server, "staff-dashboard")
    staff = journey.page("staff")
    log_in(staff, make_user(live_server.app, Role.ADMIN))
    staff.goto("/staff")

    figures = staff.get_by_role("region", name="At a glance")
    for name in ("Sellers waiting", "Listings waiting", "Orders today"):
        card = figures.locator(".stat-card").filter(has_text=name)
        expect(card).to_be_visible()
        assert card.bounding_box()["y"] + card.bounding_box()["height"] <= PHONE["height"], name
    expect(figures.locator(".stat-card").filter(has_text="Sellers waiting")).to_contain_text("1")
    print("dashboard height at 360 px, all parts closed:",
          staff.evaluate("document.documentElement.scrollHeight"))

    # The long parts open with a tap (or Enter) on their heading.
    for summary in staff.locator("details.dashboard-part > summary").all():
        summary.click()
    sizes = staff.evaluate(_LABEL_SIZES)
    assert sizes and min(sizes) >= 14, sizes
    widths = staff.evaluate(_BAR_WIDTHS)
    assert widths and min(widths) >= 2, widths  # a bar at 0 % is still seen, as an outline
    expect(staff.locator("svg").filter(has_text="Goa")).to_contain_text("0 %")
    print("dashboard height at 360 px, all parts open:",
          staff.evaluate("document.documentElement.scrollHeight"))
    assert_no_serious_axe_findings(staff, "staff dashboard, all parts open")
    journey.shoot(staff, "dashboard")

    # At a desk there is room: every part is open from the start.
    desk = journey.page("staff at a desk", DESK)
    log_in(desk, make_user(live_server.app, Role.ADMIN))
    desk.goto("/staff")
    for part in desk.locator("details.dashboard-part").all():
        expect(part).to_have_attribute("open", "")
    journey.finish()


def _count_page_loads(page) -> list[str]:
    """Every page the tab loads from now on (a redirect after a form counts once)."""
    loads: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    return loads


def _section_ids(page) -> list[str]:
    return page.locator("form[data-in-place]").evaluate_all(
        "forms => forms.map((form) => form.closest('section').id)")


def _decision_rows(app, seller_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(AuditEntry.action, AuditEntry.to_status).where(
                AuditEntry.object_type == "seller", AuditEntry.object_id == seller_id)
            .order_by(AuditEntry.id))]


def _approve_every_section_and_the_seller(page, seller_id: int) -> list[str]:
    page.goto(f"/staff/sellers/{seller_id}")
    loads = _count_page_loads(page)
    for section_id in _section_ids(page):
        section = page.locator(f"#{section_id}")
        if section.get_by_role("button", name="Verified").count():
            section.get_by_role("button", name="Verified").click()
            expect(page.locator(f"#{section_id} h2 .tag")).to_have_text("Verified")
    click_through(page, page.get_by_role("button", name="Approve seller"))
    expect(page.locator(".flashes")).to_contain_text("Decision saved.")
    return loads


def test_a_reviewer_approves_a_seller_without_a_page_load_per_section(live_server,
                                                                      start_journey):
    app = live_server.app
    stock_the_shop(app)
    _, seller_id = make_seller(app, "submitted")
    journey = start_journey(live_server, "staff-seller-review")
    staff = journey.page("staff")
    log_in(staff, make_user(app, Role.STAFF))
    staff.goto(f"/staff/sellers/{seller_id}")
    assert_no_serious_axe_findings(staff, "seller review")
    sections = _section_ids(staff)
    loads = _count_page_loads(staff)

    # Asking for changes without a reason is refused beside the reason, which gets the focus.
    first = staff.locator(f"#{sections[0]}")
    first.get_by_role("button", name="Needs changes").click()
    expect(staff.locator(f"#{sections[0]} .error-message")).to_have_text(
        "Say what the seller needs to change.")
    expect(staff.locator(f"#{sections[0]} textarea")).to_be_focused()
    # (the refusal is answered 422 on purpose; Chromium notes any 4xx on the console)
    journey.problems = [seen for seen in journey.problems if "status of 422" not in seen]
    # Verified, by keyboard: saved in place, announced, and the next section comes into focus.
    staff.locator(f"#{sections[0]}").get_by_role("button", name="Verified").focus()
    staff.keyboard.press("Enter")
    expect(staff.locator(f"#{sections[0]} h2 .tag")).to_have_text("Verified")
    expect(staff.locator("#review-announcer")).to_contain_text("Decision saved for")
    expect(staff.locator(f"#{sections[1]} h2")).to_be_focused()
    for section_id in sections[1:]:
        staff.locator(f"#{section_id}").get_by_role("button", name="Verified").click()
        expect(staff.locator(f"#{section_id} h2 .tag")).to_have_text("Verified")
    expect(staff.locator("#decision-title")).to_be_focused()
    expect(staff.get_by_role("button", name="Approve seller")).to_be_enabled()
    assert loads == []  # not one page load for all those sections
    assert_no_serious_axe_findings(staff, "seller review, all verified")
    journey.shoot(staff, "seller-review-all-verified")  # reloads it, in Hindi and back
    loads.clear()
    click_through(staff, staff.get_by_role("button", name="Approve seller"))
    expect(staff.locator(".flashes")).to_contain_text("Decision saved.")
    print(f"approving a seller with JavaScript: {len(loads) + 1} page loads "
          f"(the review page, then the queue)")
    assert len(loads) == 1

    # One audit row per section decision (the refused one wrote none), then the approval.
    rows = _decision_rows(app, seller_id)
    section_rows = [row for row in rows if row[0].startswith("section:")]
    assert section_rows == [(f"section:{s.removeprefix('section-')}", "verified")
                            for s in sections]
    assert rows[-1] == ("status", "approved")
    with app.app_context():
        assert db.session.get(Seller, seller_id).status == "approved"
    journey.finish()


def test_without_javascript_each_section_decision_comes_back_to_its_section(live_server,
                                                                            start_journey):
    app = live_server.app
    stock_the_shop(app)
    _, seller_id = make_seller(app, "submitted")
    _, second_id = make_seller(app, "submitted")
    journey = start_journey(live_server, "staff-seller-review-no-js")
    staff = journey.page("staff", javascript=False)
    log_in(staff, make_user(app, Role.STAFF))
    loads = _approve_every_section_and_the_seller(staff, seller_id)
    print(f"approving a seller without JavaScript: {len(loads) + 1} page loads")
    sections = len([row for row in _decision_rows(app, seller_id) if row[0].startswith("section:")])
    assert len(loads) == sections + 1  # each section, then the approval

    # Having read them all, the reviewer ticks every section and approves: one form.
    staff.goto(f"/staff/sellers/{second_id}")
    loads = _count_page_loads(staff)
    ticks = staff.get_by_role("group", name="Sections you have read and verify with the approval")
    for box in ticks.get_by_role("checkbox").all():
        box.check()
    click_through(staff, staff.get_by_role("button", name="Verify the ticked sections and approve"))
    expect(staff.locator(".flashes")).to_contain_text("Decision saved.")
    print(f"ticking every section and approving, without JavaScript: {len(loads) + 1} page loads")
    assert len(loads) == 1
    assert [row for row in _decision_rows(app, second_id) if row[0].startswith("section:")] == [
        row for row in _decision_rows(app, seller_id) if row[0].startswith("section:")]
    journey.finish()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Seller).where(
            Seller.id == seller_id, Seller.status == "approved")) == 1
