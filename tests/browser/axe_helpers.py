"""axe-core in the browser journeys: run it on the page open now and fail on any serious or
critical finding, saying which rule, what it asks for and which elements break it.

axe-core is vendored from npm into tests/browser/vendor/axe-core/ (see its VERSION): a test
tool, never served by the app. It goes in through page.evaluate (the DevTools protocol), which
the page's Content-Security-Policy (script-src 'self') does not apply to, where a <script> tag
with the file's text would be refused.
"""

from pathlib import Path

AXE_SOURCE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}

_RUN = """
(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then((results) => results.violations.map((rule) => ({
    id: rule.id, impact: rule.impact, help: rule.help,
    targets: rule.nodes.map((node) => node.target.join(" ")).slice(0, 8),
  })))
"""


def _load_axe(page) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;undefined")


def axe_findings(page, label: str = "") -> list[str]:
    """One line per serious or critical axe finding on the page open now (empty when none)."""
    page.wait_for_load_state("load")
    _load_axe(page)
    lang = page.locator("html").get_attribute("lang")
    where = f"{label or page.url} [{lang}] ({page.url})"
    return [f"{where}: {rule['impact']} {rule['id']}: {rule['help']}; at "
            + ", ".join(rule["targets"])
            for rule in page.evaluate(_RUN, TAGS) if rule["impact"] in BLOCKING]


def assert_no_serious_axe_findings(page, label: str = "") -> None:
    """Fail when axe finds anything serious or critical on the page open now."""
    findings = axe_findings(page, label)
    assert not findings, "axe-core findings:\n  " + "\n  ".join(findings)
