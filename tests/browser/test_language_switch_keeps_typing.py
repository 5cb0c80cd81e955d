"""Switching language in the middle of a form keeps what was typed (never a password)."""

import pytest

from tests.browser.conftest import switch_language

expect = pytest.importorskip("playwright.sync_api").expect


def test_registration_keeps_name_and_email_across_a_language_switch(live_server,
                                                                     start_journey):
    journey = start_journey(live_server, "language-switch-form")
    visitor = journey.page("visitor")
    visitor.goto("/register")
    visitor.get_by_label("Full name").fill("Meera Devi")
    visitor.get_by_label("Email address").fill("meera@example.com")
    visitor.get_by_label("Password", exact=True).fill("a-secret-password")
    switch_language(visitor, "hi")
    expect(visitor.locator("#full_name")).to_have_value("Meera Devi")
    expect(visitor.locator("#email")).to_have_value("meera@example.com")
    expect(visitor.locator("#password")).to_have_value("")  # never carried, never stored
    assert "a-secret-password" not in visitor.evaluate("JSON.stringify(sessionStorage)")
    # Once put back, it is gone: coming back later shows the form as the server sends it.
    switch_language(visitor, "en")
    visitor.goto("/register")
    expect(visitor.locator("#full_name")).to_have_value("")
    journey.finish()
