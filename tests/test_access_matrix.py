"""Who gets what from every route: each rule of app.url_map, for each method it accepts, asked by
six personas, against a table of the answers each should get.

The personas, in one world built once for the module (build_world):

- anonymous: nobody logged in (but with a session, so POSTs carry a CSRF token).
- buyer: a buyer who owns nothing named in the URL (they have a cart, but not the order).
- other_seller: an approved seller, in the same district, who owns nothing named in the URL.
- owner: the person the object in the URL belongs to. By default the owning seller: the approved
  Varanasi seller whose seller record, listings, photos, documents and orders the URLs name. On
  the buyer's own pages (checkout, orders, payment) it is the buyer who placed the order; a
  route may name both (an invoice belongs to its buyer and its seller), and then both are asked.
  On a route that names no object, the owner is asked as the account it is (a seller, or a buyer).
- staff_elsewhere: a staff reviewer, not all-India, whose only StaffScope is the state of Goa;
  every object named in a URL is in Varanasi, Uttar Pradesh.
- admin.

An answer is an HTTP status, or "login" for a 302 to /login?next=... (a redirect status means a
redirect anywhere else). POSTs carry the persona's CSRF token and nothing more, so a permitted
person's form fails validation (422, or 400 where the form is only buttons) or the view
redirects with a message: the table pins that answer, and a refusal by access control (login,
403, 404) where none is due shows up as a mismatch, as does a 500.

Requests that would act even when empty are pointed at things no other check looks at: the
buyer cancels a spare order, carts are changed through a listing that is in nobody's cart, and
the accounts pages act on a staff account that is not a persona. Adding to a cart only adds to
carts that already hold something, and logging out only clears that request's own cookie (each
request is made by a fresh client holding a copy of the persona's session).
"""

import pytest

from tests.access_matrix import (
    BEFORE_FLASK,
    MATRIX,
    PERSONAS,
    Session,
    build_world,
    client_for,
    methods_of,
    open_sessions,
    people_for,
    routes_of,
    url_for_rule,
)
from tests.conftest import SAME_ORIGIN, make_test_app


@pytest.fixture(scope="module")
def matrix_app(shared_database_url, tmp_path_factory):
    # The limiter is off: one address asking every route as six people trips it, and the
    # limits have their own tests (test_auth.py).
    yield from make_test_app(shared_database_url, tmp_path_factory.mktemp("matrix"),
                         RATELIMIT_ENABLED=False)


@pytest.fixture(scope="module")
def world(matrix_app):
    return build_world(matrix_app)


@pytest.fixture(scope="module")
def sessions(matrix_app, world):
    return open_sessions(matrix_app, world)


def answer(response) -> int | str:
    """The status, or "login" for a redirect to the login page that asks to come back."""
    if response.status_code in (301, 302, 303) and response.location.startswith("/login?next="):
        return "login"
    return response.status_code


def ask(app, session: Session, method: str, path: str):
    client = client_for(app, session)
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": session.token}, headers=SAME_ORIGIN)
    response.get_data()  # a streamed answer (CSV exports) runs to its end
    response.close()
    return response


# --- The tests ------------------------------------------------------------------------------

def test_every_route_is_in_the_matrix(matrix_app):
    """Each rule, and each method it takes, has expected answers; the matrix names no route
    that is gone."""
    rules = {}
    for rule in matrix_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):  # the API's own matrix: test_api_access_matrix
            rules.setdefault(rule.endpoint, []).append(rule)
    problems = []
    for endpoint, endpoint_rules in sorted(rules.items()):
        if endpoint not in MATRIX:
            problems.append(f"{endpoint} ({', '.join(r.rule for r in endpoint_rules)}) is not in "
                            "MATRIX in tests/access_matrix.py: add it, with the answer "
                            "each persona should get")
            continue
        for rule in endpoint_rules:
            routes = [r for r in routes_of(endpoint) if r.rule in (None, rule.rule)]
            if not routes:
                problems.append(f"{endpoint}: rule {rule.rule} has no entry in MATRIX")
            for route in routes:
                missing = methods_of(rule) - set(route.answers)
                extra = set(route.answers) - methods_of(rule)
                if missing:
                    problems.append(f"{endpoint} {rule.rule}: add answers for {sorted(missing)}")
                if extra:
                    problems.append(f"{endpoint} {rule.rule} does not take {sorted(extra)}: "
                                    "remove those answers")
                for method, table in route.answers.items():
                    if set(table) != set(PERSONAS):
                        problems.append(f"{endpoint} {method}: answers for {sorted(table)}, "
                                        f"not for each of {PERSONAS}")
    for endpoint in sorted(set(MATRIX) - set(rules)):
        problems.append(f"{endpoint} is in MATRIX but the app has no such route: remove it")
    for endpoint in sorted(set(MATRIX) & set(rules)):
        for route in routes_of(endpoint):
            if route.rule is not None and route.rule not in {r.rule for r in rules[endpoint]}:
                problems.append(f"{endpoint}: MATRIX names rule {route.rule}, which is gone")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_each_persona_gets_the_answer_due_to_them(matrix_app, world, sessions, endpoint):
    rules = [r for r in matrix_app.url_map.iter_rules() if r.endpoint == endpoint]
    if not rules:
        pytest.fail(f"{endpoint} is in MATRIX but not in the app (see "
                    "test_every_route_is_in_the_matrix)")
    mismatches = []
    for rule in rules:
        for route in (r for r in routes_of(endpoint) if r.rule in (None, rule.rule)):
            path = url_for_rule(rule, route, world)
            for method in sorted(methods_of(rule) & set(route.answers)):
                for who in PERSONAS:
                    want = route.answers[method][who]
                    for label, session_name in people_for(who, route):
                        try:
                            response = ask(matrix_app, sessions[session_name], method, path)
                        except Exception as error:  # TESTING propagates what would be a 500
                            got, where = f"raised {type(error).__name__}: {error}", ""
                        else:
                            got, where = answer(response), response.location or ""
                        if got != want:
                            mismatches.append((method, path, label, want, got, where))
    if mismatches:
        width = max(len(f"{m} {p}") for m, p, *_ in mismatches)
        lines = [f"{'request':<{width}}  {'persona':<16} {'want':<6} got"]
        lines += [f"{f'{m} {p}':<{width}}  {label:<16} {str(want):<6} {got}"
                  + (f" -> {where}" if where else "")
                  for m, p, label, want, got, where in mismatches]
        pytest.fail(f"{endpoint}: {len(mismatches)} answers differ from MATRIX\n"
                    + "\n".join(lines), pytrace=False)


def test_the_paths_answered_before_flask_are_listed_and_answer_everyone_alike(
        matrix_app, sessions):
    from odop_bazaar.health import OpsEndpoints

    layer = matrix_app.wsgi_app
    while not isinstance(layer, OpsEndpoints):
        layer = layer.wsgi_app
    assert set(layer.endpoints) == set(BEFORE_FLASK)
    assert not {r.rule for r in matrix_app.url_map.iter_rules()} & set(BEFORE_FLASK)
    mismatches = []
    for path, route in BEFORE_FLASK.items():
        for method, table in route.answers.items():
            for who in PERSONAS:
                for label, session_name in people_for(who, route):
                    response = ask(matrix_app, sessions[session_name], method, path)
                    if answer(response) != table[who]:
                        mismatches.append(f"{label} {method} {path}: {answer(response)}")
                    if response.headers.get("Set-Cookie"):
                        mismatches.append(f"{label} {method} {path} sets a cookie")
    assert not mismatches, "\n".join(mismatches)
