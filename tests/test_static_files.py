"""Static files: versioned URLs that phones may keep for a year, and nothing else kept long."""

import hashlib
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
YEAR = "max-age=31536000"


def linked_stylesheet(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)


def test_pages_link_the_stylesheet_by_its_content_and_it_is_kept_a_year(client):
    url = linked_stylesheet(client)
    expected = hashlib.sha256((STATIC / "css" / "app.css").read_bytes()).hexdigest()[:12]
    assert url == f"/static/css/app.css?v={expected}"
    response = client.get(url)
    assert response.status_code == 200
    assert YEAR in response.headers["Cache-Control"]


def test_an_old_or_missing_version_is_checked_again_not_kept(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=0123456789ab"):
        response = client.get(url)
        assert response.status_code == 200
        assert YEAR not in response.headers.get("Cache-Control", "")
        assert response.headers.get("ETag") or response.headers.get("Last-Modified")


def test_a_path_outside_the_static_folder_is_not_found(client):
    for url in ("/static/../config.py?v=x", "/static/%2e%2e/config.py?v=x",
                "/static/nothing-here.css?v=x"):
        assert client.get(url).status_code == 404


def test_the_fonts_the_stylesheet_names_are_kept_a_week(client):
    stylesheet = client.get(linked_stylesheet(client)).get_data(as_text=True)
    fonts = re.findall(r'url\("\.\./(fonts/[^"]+)"\)', stylesheet)
    assert len(set(fonts)) == 6  # Latin and Devanagari, and the label subset, in two weights
    for font in fonts:
        response = client.get(f"/static/{font}")
        assert response.status_code == 200 and response.mimetype == "font/woff2"
        assert "max-age=604800" in response.headers["Cache-Control"]
