"""Security headers: a strict Content-Security-Policy and friends on every response, HSTS in
production, and templates that need no inline script or style (or the policy would break them)."""

import re
from pathlib import Path

import pytest

from odop_bazaar.models import Role
from tests.conftest import log_in, start
from tests.factories import make_places, make_user

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split("; "))}


@pytest.mark.parametrize("path", ["/", "/search?q=saree", "/login", "/districts/187",
                                  "/no-such-page", "/static/css/app.css"])
def test_every_response_carries_the_headers(app, client, path):
    make_places(app)
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    rules = policy(response)
    assert rules["script-src"] == ["'self'"] and rules["style-src"] == ["'self'"]
    assert rules["frame-ancestors"] == ["'none'"] and rules["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # not over plain http in tests


def test_staff_pages_carry_them_too(app, client):
    make_places(app)
    log_in(client, make_user(app, Role.ADMIN))
    response = client.get("/staff")
    assert response.status_code == 200 and policy(response)["script-src"] == ["'self'"]


def test_with_card_payments_stripe_js_and_its_api_are_allowed(card_app, stripe_server):
    rules = policy(card_app.test_client().get("/"))
    assert rules["script-src"] == ["'self'", stripe_server]
    assert stripe_server in rules["connect-src"] and stripe_server in rules["frame-src"]
    assert "https://js.stripe.com" in rules["frame-src"]


def test_no_template_needs_inline_script_or_style():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"\sstyle\s*=",
                        r"<style\b", r"javascript:"):
            if re.search(pattern, text, re.I):
                offenders.append(f"{template.relative_to(TEMPLATES)}: {pattern}")
    assert offenders == []


def test_production_sends_hsts_and_secure_cookies(tmp_path):
    code = ("import wsgi; r = wsgi.app.test_client().get('/static/css/app.css', "
            "base_url='https://odop.example.org'); "
            "print(r.headers.get('Strict-Transport-Security')); "
            "print(wsgi.app.config['SESSION_COOKIE_SECURE'], "
            "wsgi.app.config['REMEMBER_COOKIE_SECURE'])")
    result = start({"ODOP_CONFIG": "production", "SECRET_KEY": "s3cret",
                    "DATABASE_URL": "postgres://u@db.internal/odop",
                    "SERVER_NAME": "odop.example.org", "ODOP_INSTANCE_PATH": str(tmp_path)}, code)
    assert result.returncode == 0, result.stderr
    hsts, cookies = result.stdout.strip().splitlines()
    assert hsts == "max-age=31536000; includeSubDomains"
    assert cookies == "True True"
