"""Who gets what from every API route: each rule under /api/, for each method, asked by the
six personas of the page matrix with their own tokens (tests/api_access_matrix.py), and, for
routes that need a token, asked again with the owner's logged-in cookie and no token: a cookie
never authenticates the API."""

import pytest

from tests.access_matrix import (
    PERSONAS,
    build_world,
    client_for,
    methods_of,
    open_sessions,
    people_for,
    url_for_rule,
)
from tests.api_access_matrix import API_MATRIX, api_routes_of, issue_tokens
from tests.conftest import make_test_app


def is_api(rule) -> bool:
    return rule.rule.startswith("/api/")


@pytest.fixture(scope="module")
def matrix_app(shared_database_url, tmp_path_factory):
    yield from make_test_app(shared_database_url, tmp_path_factory.mktemp("api-matrix"),
                             RATELIMIT_ENABLED=False)


@pytest.fixture(scope="module")
def world(matrix_app):
    world = build_world(matrix_app)
    world["tokens"] = issue_tokens(matrix_app, world)
    return world


def ask(app, method: str, path: str, token: str | None, session=None):
    client = client_for(app, session) if session else app.test_client()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = None if method in ("GET", "DELETE") else {}
    response = client.open(path, method=method, json=body, headers=headers)
    response.get_data()
    response.close()
    return response


def test_every_api_route_is_in_the_matrix(matrix_app):
    """A new API route fails here until its answers are listed."""
    rules = {}
    for rule in filter(is_api, matrix_app.url_map.iter_rules()):
        rules.setdefault(rule.endpoint, []).append(rule)
    problems = [f"{endpoint} ({', '.join(r.rule for r in endpoint_rules)}) is not in API_MATRIX "
                "in tests/api_access_matrix.py: add it, with each persona's answer"
                for endpoint, endpoint_rules in sorted(rules.items()) if endpoint not in API_MATRIX]
    for endpoint in sorted(set(API_MATRIX) & set(rules)):
        for rule in rules[endpoint]:
            for route in api_routes_of(endpoint):
                if route.rule not in (None, rule.rule):
                    continue
                if methods_of(rule) != set(route.answers):
                    problems.append(f"{endpoint} {rule.rule}: answers for {sorted(route.answers)}"
                                    f", the route takes {sorted(methods_of(rule))}")
                for method, table in route.answers.items():
                    if set(table) != set(PERSONAS):
                        problems.append(f"{endpoint} {method}: answers for {sorted(table)}")
    problems += [f"{endpoint} is in API_MATRIX but the app has no such route"
                 for endpoint in sorted(set(API_MATRIX) - set(rules))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("endpoint", list(API_MATRIX))
def test_each_persona_gets_the_answer_due_to_them(matrix_app, world, endpoint):
    rules = [r for r in matrix_app.url_map.iter_rules() if r.endpoint == endpoint]
    assert rules, f"{endpoint} is not a route of the app"
    mismatches = []
    for rule in rules:
        for route in (r for r in api_routes_of(endpoint) if r.rule in (None, rule.rule)):
            path = url_for_rule(rule, route, world)
            for method in sorted(methods_of(rule) & set(route.answers)):
                for who in PERSONAS:
                    want = route.answers[method][who]
                    for label, session_name in people_for(who, route):
                        token = world["tokens"].get(session_name)
                        try:
                            got = ask(matrix_app, method, path, token).status_code
                        except Exception as error:  # TESTING propagates what would be a 500
                            got = f"raised {type(error).__name__}: {error}"
                        if got != want:
                            mismatches.append(f"{method} {path} {label}: want {want}, got {got}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("endpoint", [e for e in API_MATRIX
                                      if any(r.answers[m]["anonymous"] == 401
                                             for r in api_routes_of(e) for m in r.answers)])
def test_a_logged_in_cookie_without_a_token_is_not_enough(matrix_app, world, endpoint):
    sessions = open_sessions(matrix_app, world)
    rule = next(r for r in matrix_app.url_map.iter_rules() if r.endpoint == endpoint)
    for route in (r for r in api_routes_of(endpoint) if r.rule in (None, rule.rule)):
        path = url_for_rule(rule, route, world)
        for method in methods_of(rule):
            for session_name in ("owner_seller", "owner_buyer", "admin"):
                response = ask(matrix_app, method, path, None, sessions[session_name])
                assert response.status_code == 401, (method, path, session_name)
                assert response.mimetype == "application/problem+json"
