"""Schemathesis against the live server: every operation of its OpenAPI spec, valid and invalid inputs.

No input may make the server fail (5xx), every error answer has the one JSON error shape, and
every answer that has a documented schema matches it.
Generation is seeded and bounded, so a run is reproducible and takes well under a minute.

The spec is the app's own, taken at import so pytest can list one test per operation; the first
test checks that the live server serves exactly that spec. (`schemathesis.pytest.from_fixture`
would load it from the server instead, but schemathesis 4.32 reads `Function._nodeid`, which
pytest 9.2 no longer has.)
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.settings import Settings

MAX_EXAMPLES = 40
SEED = 20240607
REQUEST_TIMEOUT_S = 30

# Routes and models make the spec; no engine loads until the app starts, so any folders do here.
SPEC = create_app(Settings(docs_dir=Path("docs_src"), index_dir=Path("unused-index"))).openapi()

schema = schemathesis.openapi.from_dict(SPEC)
schema.config.seed = SEED
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
)


def assert_error_shape(response: schemathesis.Response) -> None:
    """{"error": {"code": "…", "message": "…"}} and nothing else at the top level, never a traceback."""
    where = f"{response.request.method} {response.request.url} -> {response.status_code}: {response.text[:300]!r}"
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), where
    try:
        body = json.loads(response.content)
    except ValueError as exc:
        raise AssertionError(f"error body is not JSON: {where}") from exc
    assert isinstance(body, dict) and set(body) == {"error"}, where
    error = body["error"]
    assert isinstance(error, dict) and {"code", "message"} <= set(error), where
    assert isinstance(error["code"], str) and error["code"], where
    assert isinstance(error["message"], str) and error["message"], where
    assert "Traceback" not in response.text, where


def test_the_live_server_serves_the_tested_spec(client: httpx.Client) -> None:
    assert client.get("/openapi.json").json() == json.loads(json.dumps(SPEC))
    assert len(list(schema.get_all_operations())) >= 6


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors_and_one_error_shape(case: schemathesis.Case, base_url: str) -> None:
    assert base_url.startswith("http://127.0.0.1:")  # loopback only
    response = case.call(base_url=base_url, timeout=REQUEST_TIMEOUT_S)
    # Every status the server answers with is documented, with its schema and content type.
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    case.validate_response(response, checks=checks)
    if response.status_code >= 400:
        assert_error_shape(response)
