"""Browser journeys: Playwright driving the system Chromium against the app on a real port."""
