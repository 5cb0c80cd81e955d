"""The served OpenAPI document against the API itself: schemathesis generates requests for
every operation from the document (valid ones, and invalid ones that break its schemas), sends
them through the app with a token fit for the route, and checks each answer: never a 500, a
status the document lists, its content type, and a body that matches the documented schema.

A bounded number of examples per operation (SCHEMATHESIS_EXAMPLES, default 25), so the suite
stays quick; set it higher for a longer hunt.
"""

import os
import warnings

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.access_matrix import build_world
from tests.api_access_matrix import issue_tokens
from tests.conftest import make_test_app

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# Whose token each part of the API is asked with: the person it is for.
TOKEN_FOR_PREFIX = (("/api/v1/seller/", "owner_seller"), ("/api/v1/staff/", "admin"),
                    ("/api/v1/buyer/", "owner_buyer"))


def test_every_schema_has_one_name_in_the_document(shared_database_url, tmp_path):
    # apispec renames a second schema class that resolves to a name already taken, and only
    # warns: a client generated from the document would then get "Photo1" beside "Photo".
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for app in make_test_app(shared_database_url, tmp_path):
            assert app.test_client().get("/api/v1/openapi.json").status_code == 200
    assert [str(w.message) for w in caught if "Multiple schemas" in str(w.message)] == []


@pytest.fixture(scope="module")
def api_app(shared_database_url, tmp_path_factory):
    yield from make_test_app(shared_database_url, tmp_path_factory.mktemp("openapi"),
                             RATELIMIT_ENABLED=False)


@pytest.fixture(scope="module")
def tokens(api_app):
    return issue_tokens(api_app, build_world(api_app))


@pytest.fixture(scope="module")
def schema(api_app, tokens):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)


def token_for(path: str, tokens: dict) -> str:
    for prefix, who in TOKEN_FOR_PREFIX:
        if path.startswith(prefix):
            return tokens[who]
    return tokens["owner_buyer"]


def operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def test_the_document_describes_every_api_route(api_app, schema):
    documented = {(op.method.upper(), op.path) for op in operations(schema)}
    served = set()
    for rule in api_app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint.startswith("api_") and \
                rule.endpoint != "api_docs_page.docs":
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<{name}>", f"{{{name}}}")
                for converter in ("int", "id", "string", "path"):
                    path = path.replace(f"<{converter}:{name}>", f"{{{name}}}")
            served |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented


def check_operation(operation, mode, token: str) -> None:
    """Send the operation EXAMPLES generated requests; raise on the first answer that fails."""
    headers = {"Authorization": f"Bearer {token}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_documented(schema, tokens, mode):
    failures = []
    for operation in operations(schema):
        try:
            check_operation(operation, mode, token_for(operation.path, tokens))
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, operation.path  # nothing there to break
        except Exception as error:  # noqa: BLE001 (collect every operation's failure)
            failures.append(f"{operation.method.upper()} {operation.path}:\n{error}")
    assert not failures, "\n\n".join(failures)
