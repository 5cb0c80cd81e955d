"""Every state-changing request without its CSRF token is refused with the "form has expired"
page (400, never a 500) and stores nothing, for every POST, PUT, PATCH and DELETE rule in
app.url_map, even when it comes from the site's own pages (as browsers say with Origin). Two
exceptions: the Stripe webhook, which Stripe signs instead (its signature is checked in
test_payments.py), and adding to the cart, whose form is on the product page every visitor shares
and so carries no token: it is refused (403, nothing stored) unless it comes from the site's own
pages (odop_bazaar/same_origin.py; more in test_http_caching.py).

Each request is made as someone the access matrix (test_access_matrix.py) lets through, in the
same kind of world; where a request would act, it carries the answers that make it act, and
test_the_same_requests_with_the_token_do_act shows that they do once the token is there.
"""

from pathlib import Path

import pytest
from sqlalchemy import select

from odop_bazaar.db_types import today_in_india
from odop_bazaar.extensions import db
from tests.access_matrix import (
    MATRIX,
    Route,
    build_world,
    client_for,
    methods_of,
    open_sessions,
    people_for,
    routes_of,
    url_for_rule,
)
from tests.checkout_helpers import ADDRESS, fingerprint
from tests.conftest import SAME_ORIGIN, make_test_app

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SIGNED_NOT_TOKENED = {"orders.stripe_webhook"}
ORIGIN_CHECKED = {"orders.add_to_cart", "shop.ask_when_back"}
CSRF_MESSAGE = "This form has expired or came from another page."
ORIGIN_MESSAGE = "We only take this form from ODOP Bazaar"
# What the sweep sends for ORIGIN_CHECKED routes in place of the site's own origin.
FOREIGN_ORIGINS = ({}, {"Origin": "https://evil.example"}, {"Origin": "null"},
                   {"Referer": "https://evil.example/products/1"},
                   {"Origin": "http://localhost.evil.example"}, {"Origin": "https://localhost"})
REFUSALS = {"login", 403, 404}

# Requests that act when their token is there: who sends them and with what answers (a function
# of the client and the world where the answers come from a page). Each acts on something the
# others leave alone.
ACTING = {
    "auth.account": ("owner_seller", {"full_name": "Someone Else"}),
    "auth.api_tokens": ("buyer", {"name": "Phone", "scopes": "read", "expires_in_days": "30"}),
    "auth.revoke_api_token": ("owner_seller", {}),
    "auth.register": ("anonymous", {"account_type": "buyer", "full_name": "New Buyer",
                                    "email": "new-buyer@example.com",
                                    "password": "another-horse-battery",
                                    "confirm": "another-horse-battery"}),
    "orders.add_to_cart": ("buyer", {"quantity": "1"}),
    "shop.stop_stock_alert": ("owner_buyer", {}),
    "orders.checkout": ("owner_buyer", lambda client, world: {
        **ADDRESS, "payment_method": "cod", "fingerprint": fingerprint(client)}),
    "orders.cancel": ("owner_buyer", {"reason": "Changed my mind"}),
    "orders.seller_next_step": ("owner_seller", {"step": "accepted"}),
    "orders.seller_accept_return": ("owner_seller", {"buyer_sends": "y"}),
    "orders.seller_return_policy": ("owner_seller", {"accepts_change_of_mind": "y"}),
    "listings.update_price": ("owner_seller", {"price": "90", "mrp": "120", "stock": "9"}),
    "staff.retry_mail": ("admin", {}),
    "staff.settings": ("admin", {"charge": "45", "free_from": "999", "commission": "3"}),
    "staff.new_staff": ("admin", {"full_name": "New Person", "email": "new-staff@example.com",
                                  "role": "staff"}),
    "staff.add_place": ("admin", {"state": "30", "district": ""}),
    "staff.remove_place": ("admin", {}),
    "staff.user_all_india": ("admin", {"all_india": "y"}),
    "staff.user_role": ("admin", {"role": "admin"}),
    "staff.user_status": ("admin", {"reason": "Left the team", "suspend": "1"}),
    "complaints.reply": ("owner_buyer", {"body": "Photos are on their way."}),
    "staff.reply_to_complaint": ("admin", {"body": "The seller will call you."}),
    "staff.record_refund_paid": ("admin", lambda client, world: {
        "paid_on": today_in_india().isoformat(), "reference": "UTR555666777"}),
    # Reviews: reported while it is shown, replied to, then hidden, shown again and kept.
    "reviews.report": ("buyer", {"reason": "abuse"}),
    "reviews.reply": ("owner_seller", lambda client, world: {
        f"r{world['review_id']}-text": "Thank you"}),
    "staff.hide_review": ("admin", {"reason": "off_topic"}),
    "staff.unhide_review": ("admin", {}),
    "staff.keep_review": ("admin", {}),
}
# Where the access matrix's own answer is a 404 that is not a refusal (for the admin; for the
# buyer, a new complaint that names nothing to complain about).
SENT_BY = {"staff.apply_reference": "admin", "complaints.new": "owner_buyer"}


@pytest.fixture(scope="module")
def csrf_app(shared_database_url, tmp_path_factory):
    yield from make_test_app(shared_database_url, tmp_path_factory.mktemp("csrf"),
                         RATELIMIT_ENABLED=False)


@pytest.fixture(scope="module")
def world(csrf_app):
    return build_world(csrf_app)


@pytest.fixture(scope="module")
def sessions(csrf_app, world):
    return open_sessions(csrf_app, world)


def state_changing_requests(app, world):
    """(endpoint, method, path, route) for each rule and method that is not GET, HEAD or
    OPTIONS, each with the first of its matrix entries."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            continue  # token, not cookie: tests/test_api_access_matrix.py
        for method in sorted(methods_of(rule) - SAFE_METHODS):
            assert rule.endpoint in MATRIX, (
                f"{rule.endpoint} is not in MATRIX in tests/access_matrix.py: add it there")
            route = next(r for r in routes_of(rule.endpoint) if r.rule in (None, rule.rule))
            yield rule.endpoint, method, url_for_rule(rule, route, world), route


def sender(endpoint: str, method: str, route: Route) -> str:
    """The session of someone the access matrix lets make this request."""
    if endpoint in ACTING:
        return ACTING[endpoint][0]
    if endpoint in SENT_BY:
        return SENT_BY[endpoint]
    table = route.answers[method]
    for who in ("owner", "admin", "buyer", "other_seller", "staff_elsewhere"):
        if table[who] not in REFUSALS:
            return people_for(who, route)[0][1]
    raise AssertionError(f"nobody may send {method} {endpoint}: say who in SENT_BY")


def answers_for(endpoint: str, client, world) -> dict:
    data = ACTING.get(endpoint, (None, {}))[1]
    return data(client, world) if callable(data) else data


def snapshot(app) -> dict:
    """Every row of every table, the stored files and the mail sent."""
    with app.app_context():
        state = {table.name: sorted((tuple(row) for row in db.session.execute(select(table))),
                                    key=repr)
                 for table in db.metadata.sorted_tables}
    root = Path(app.config["STORAGE_ROOT"])
    state["files"] = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    state["mail"] = len(app.extensions["mail_outbox"])
    return state


def changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def send(app, sessions, world, endpoint, method, path, route, *, with_token: bool,
         headers=SAME_ORIGIN):
    client = client_for(app, sessions[sender(endpoint, method, route)])
    data = answers_for(endpoint, client, world)
    if with_token:
        data = {**data, "csrf_token": sessions[sender(endpoint, method, route)].token}
    return client, client.open(path, method=method, data=data, headers=headers)


def test_only_the_stripe_webhook_and_the_product_page_buttons_go_without_a_token(csrf_app, world):
    requests = list(state_changing_requests(csrf_app, world))
    assert {endpoint for endpoint, *_ in requests} >= SIGNED_NOT_TOKENED | ORIGIN_CHECKED
    csrf = csrf_app.extensions["csrf"]
    assert csrf._exempt_views == {"odop_bazaar.orders.routes.stripe_webhook",
                                  "odop_bazaar.orders.cart.add_to_cart",
                                  "odop_bazaar.shop.stock_alerts.ask_when_back"}
    # The JSON API's blueprints: a token says who asks, and a cookie is never enough there
    # (test_api_access_matrix.py asks every API route with a logged-in cookie and no token).
    from odop_bazaar.api import BLUEPRINTS

    assert csrf._exempt_blueprints == set(BLUEPRINTS())
    assert all(blueprint.url_prefix.startswith("/api/") for blueprint in BLUEPRINTS())
    # Unsigned, it is not taken for Stripe's (with card payments off, there is no webhook).
    response = csrf_app.test_client().post("/payments/stripe/webhook", data=b"{}")
    assert response.status_code == 404 and CSRF_MESSAGE not in response.get_data(as_text=True)


def test_a_request_without_its_token_is_refused_and_stores_nothing(csrf_app, world, sessions):
    problems = []
    for endpoint, method, path, route in state_changing_requests(csrf_app, world):
        if endpoint in SIGNED_NOT_TOKENED | ORIGIN_CHECKED:
            continue
        before = snapshot(csrf_app)
        try:
            client, response = send(csrf_app, sessions, world, endpoint, method, path, route,
                                    with_token=False)
        except Exception as error:  # TESTING propagates what would be a 500
            problems.append(f"{method} {path}: raised {type(error).__name__}: {error}")
            continue
        page = response.get_data(as_text=True)
        if response.status_code != 400 or CSRF_MESSAGE not in page:
            problems.append(f"{method} {path} ({endpoint}): {response.status_code}, "
                            f"{'with' if CSRF_MESSAGE in page else 'without'} the CSRF message")
        if stored := changed(before, snapshot(csrf_app)):
            problems.append(f"{method} {path} ({endpoint}) changed {', '.join(stored)}")
        if endpoint == "auth.logout" and client.get("/account").status_code != 200:
            problems.append("a logout without its token logged the person out")
    assert not problems, "\n".join(problems)


def test_the_same_requests_with_the_token_do_act(csrf_app, world, sessions):
    """The refusals above are the token's doing: with it, these requests change something."""
    by_endpoint = {endpoint: (method, path, route)
                   for endpoint, method, path, route in state_changing_requests(csrf_app, world)}
    inert = []
    for endpoint in ACTING:
        method, path, route = by_endpoint[endpoint]
        before = snapshot(csrf_app)
        _, response = send(csrf_app, sessions, world, endpoint, method, path, route,
                           with_token=True)
        if not changed(before, snapshot(csrf_app)):
            inert.append(f"{method} {path} ({endpoint}): {response.status_code}, nothing changed")
    assert not inert, "\n".join(inert)


def test_a_tokenless_form_from_anywhere_but_the_sites_own_pages_is_refused(csrf_app, world,
                                                                           sessions):
    problems = []
    for endpoint, method, path, route in state_changing_requests(csrf_app, world):
        if endpoint not in ORIGIN_CHECKED:
            continue
        for headers in FOREIGN_ORIGINS:
            before = snapshot(csrf_app)
            _, response = send(csrf_app, sessions, world, endpoint, method, path, route,
                               with_token=True, headers=headers)
            if response.status_code != 403 or ORIGIN_MESSAGE not in response.get_data(as_text=True):
                problems.append(f"{method} {path} with {headers}: {response.status_code}")
            if stored := changed(before, snapshot(csrf_app)):
                problems.append(f"{method} {path} with {headers} changed {', '.join(stored)}")
    assert not problems, "\n".join(problems)
