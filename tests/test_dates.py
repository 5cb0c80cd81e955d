"""Dates and times read the Indian way in both languages: "2 Dec 2026", "2 Dec 2026, 3:59 PM",
in India's time, whatever Babel's locale default would be (US order in English)."""

from datetime import UTC, date, datetime
from pathlib import Path

from flask_babel import force_locale

REPO = Path(__file__).resolve().parents[1]


def _filters(app):
    return app.jinja_env.filters["ist"], app.jinja_env.filters["day"]


def test_one_day_reads_the_same_way_in_english_and_hindi(app):
    moment = datetime(2026, 12, 2, 10, 29, tzinfo=UTC)  # 3:59 PM in India
    ist, day = _filters(app)
    with app.test_request_context():
        with force_locale("en"):
            assert ist(moment) == "2 Dec 2026, 3:59 PM"
            assert ist(moment, "short") == "2 Dec 2026, 3:59 PM"  # not "12/2/26"
            assert day(date(2026, 12, 2)) == "2 Dec 2026"
        with force_locale("hi"):
            assert ist(moment, "short") == "2 दिस॰ 2026, 3:59 pm"  # not "2/12/26"
            assert day(date(2026, 12, 2)) == "2 दिस॰ 2026"
        with force_locale("en"):  # just before midnight UTC is the next morning in India
            assert ist(datetime(2026, 12, 4, 22, 29, 59, tzinfo=UTC)) == \
                "5 Dec 2026, 3:59 AM"


def test_no_template_writes_a_date_its_own_way():
    # (the sitemap's W3C dates are for machines, not people)
    offenders = [str(path.relative_to(REPO)) for path in (REPO / "templates").rglob("*")
                 if path.suffix in (".html", ".txt")
                 and "strftime" in path.read_text(encoding="utf-8")]
    assert offenders == []
