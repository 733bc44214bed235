"""The OpenAPI document validates, the docs are served without a CDN, and generated requests never get a 5xx."""

import io
import re

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from config.wsgi import application
from tests.api.helpers import at_step


def test_schema_validates_without_warnings(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out)
    assert '"/api/v1/tasks/{id}/complete/"' in out.getvalue()


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/auth/logout/",
        "/api/v1/auth/logout-all/",
        "/api/v1/me/",
        "/api/v1/units/",
        "/api/v1/award-types/",
        "/api/v1/movements/",
        "/api/v1/nominations/",
        "/api/v1/nominations/{id}/",
        "/api/v1/nominations/{id}/attachments/",
        "/api/v1/nominations/{id}/submit/",
        "/api/v1/nominations/{id}/audit/",
        "/api/v1/nomination-lists/",
        "/api/v1/nomination-lists/check/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{id}/complete/",
        "/api/v1/decisions/",
        "/api/v1/decisions/{id}/",
        "/api/v1/audit/verify/",
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/",
        "/api/v1/meetings/{id}/totals/",
        "/api/v1/meetings/{id}/ballots/",
        "/api/v1/meetings/{id}/close/",
        "/api/v1/people/",
        "/api/v1/people/{id}/",
        "/api/v1/people/{id}/history/",
        "/api/v1/collectives/",
        "/api/v1/collectives/{id}/",
        "/api/v1/collectives/{id}/history/",
        "/api/v1/history/{id}/revoke/",
        "/api/v1/history-imports/template/",
        "/api/v1/history-imports/check/",
        "/api/v1/history-imports/",
        "/api/v1/registrations/",
        "/api/v1/registrations/{id}/",
        "/api/v1/registrations/{id}/commitments/",
        "/api/v1/registrations/{id}/results/",
        "/api/v1/registrations/{id}/{action}/",
    ):
        assert path in paths, path
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "drf_spectacular_sidecar" in html
    assert "cdn." not in html and "jsdelivr" not in html and "unpkg" not in html
    bundle = re.search(r'src="([^"]*drf_spectacular_sidecar[^"]*swagger-ui-bundle\.js)"', html).group(1)
    asset = client.get(bundle)
    assert asset.status_code == 200
    redoc = client.get("/api/redoc/").content.decode()
    assert "drf_spectacular_sidecar" in redoc and "cdn." not in redoc


@pytest.fixture
def api_schema(people):
    # Requests go straight to the WSGI app, not through Django's test client: keep the test transaction's
    # connection open across requests as the test client does (PostgreSQL would otherwise close it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("persona", ["head", "chairman", "inspector"])
def test_generated_requests_never_get_a_server_error_nor_an_undocumented_status(api_schema, people, persona):
    """Each operation, with a nomination waiting for the head and one for the chairman, a bounded number of cases:
    no 5xx, and every status code answered is one the schema lists for the operation."""
    at_step(people, "submit")
    at_step(people, "sign", full_name="Lê Thị Chờ Ký")
    user = getattr(people, persona)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 48
    failures, statuses = [], set()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # A fresh token per case: a generated logout must not sign the next cases out.
            token = AuthToken.objects.create(user=user)[1]
            response = case.call(headers={"Authorization": f"Token {token}", "Accept-Language": "vi"})
            statuses.add((case.operation.label, response.status_code))
            try:
                case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
            except Exception as failure:  # schemathesis raises a group of check failures
                failures.append((case.operation.label, response.status_code, str(failure)[:300]))

        check()
    assert failures == []
    # The run reached the views: every operation answered, some with success, some with field errors.
    assert {label for label, _ in statuses} == {operation.label for operation in operations}
    codes = {code for _, code in statuses}
    assert 200 in codes and 400 in codes, sorted(statuses)
    print(sorted(statuses))


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ({"page": "0"}, 400, {"page": ["Giá trị phải lớn hơn hoặc bằng 1."]}),
        ({"page": "²"}, 400, {"page": ["Cần một số nguyên hợp lệ."]}),
        ({"page": "last"}, 400, {"page": ["Cần một số nguyên hợp lệ."]}),
        ({"page_size": "0"}, 400, {"page_size": ["Giá trị phải lớn hơn hoặc bằng 1."]}),
        ({"page_size": "201"}, 400, {"page_size": ["Giá trị phải nhỏ hơn hoặc bằng 200."]}),
        ({"page": "99"}, 404, {"detail": "Trang 99 không tồn tại."}),
    ],
)
def test_page_and_page_size_are_validated_and_documented(people, as_user, query, status, body):
    response = as_user(people.head).get("/api/v1/units/", query)
    assert response.status_code == status
    assert response.json() == body


def test_page_size_is_honoured(people, as_user):
    response = as_user(people.head).get("/api/v1/units/", {"page_size": 2, "page": 2})
    assert response.status_code == 200 and len(response.json()["results"]) == 2
