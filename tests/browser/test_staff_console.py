"""Staff on a phone: the dashboard leads with the figures that need acting on, its charts can be
read, and a seller application is approved without a page load per section."""

import pytest
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Role, Seller
from tests.browser.axe_helpers import assert_no_serious_axe_findings
from tests.browser.conftest import PHONE, click_through, log_in, stock_the_shop
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
    journey.finish()
