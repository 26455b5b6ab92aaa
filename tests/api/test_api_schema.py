"""The committed OpenAPI schema (docs/api/openapi.yaml) is the one the code makes, and the
interactive docs work under the portal's CSP with their files served by the portal itself."""

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from tests.api.conftest import COMMITTED_SCHEMA

pytestmark = pytest.mark.django_db

REGENERATE = "manage.py spectacular --lang en --validate --fail-on-warn --file docs/api/openapi.yaml"


def test_the_committed_schema_is_the_one_the_code_makes(tmp_path):
    made = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--validate", "--fail-on-warn", "--file", str(made))

    assert made.read_text() == COMMITTED_SCHEMA.read_text(), f"the API changed: run `{REGENERATE}` and commit the schema"


def test_the_schema_is_served_without_a_key():
    response = Client().get("/api/v1/schema/")

    assert response.status_code == 200
    assert b"/api/v1/workers/bulk/" in response.content


def test_the_docs_page_loads_only_the_portals_own_files():
    response = Client().get("/api/v1/docs/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in page and "<style>" not in page and "cdn" not in page.lower()
    script = Client().get("/api/v1/docs/?script=")
    assert script.status_code == 200 and b"/api/v1/schema/" in script.content


def test_a_nul_byte_in_an_api_query_is_a_400_in_json(company_key):
    response = Client().get("/api/v1/workers/", {"q": "A\x00B"}, HTTP_AUTHORIZATION=f"Bearer {company_key}")

    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_an_unknown_api_address_is_a_404_in_json_by_any_method():
    client = Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True)
    for response in (
        client.get("/api/v1/no-such-thing/"),
        client.patch("/api/v1/workers/-1/", "{}", content_type="application/json"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "No such endpoint."}


def test_every_operation_documents_its_refusals_with_a_json_body():
    schema = yaml.safe_load(COMMITTED_SCHEMA.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            refusals = {code for code in operation["responses"] if code.startswith("4")}
            expected = (
                {"400", "401", "403", "429"}
                | ({"404"} if "{" in path else set())
                | ({"413"} if method in ("post", "patch") else set())
            )
            assert expected <= refusals, f"{method.upper()} {path} documents {sorted(refusals)}"
            for code in refusals:
                assert "application/json" in operation["responses"][code]["content"], f"{method.upper()} {path} {code}"
