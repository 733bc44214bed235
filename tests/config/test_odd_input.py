"""Odd input never gets a 500: superscript digits (pass str.isdigit()), huge integers, the first and last dates
Python knows, NUL characters, deeply nested or oversized JSON — on every page and endpoint that reads it."""

import json

import pytest
from django.test import Client

ODD = ["²", "٣", "9" * 40, "-1", "01/01/0001", "31/12/9999", "0001-01-01", "9999-12-31", "a\x00b", "%"]

# (persona or None for anonymous, path, the query parameters the page reads)
PAGES = [
    ("head", "/", ["q", "unit", "award_type", "movement", "status", "page"]),
    ("head", "/de-nghi/", ["q", "unit", "award_type", "movement", "status", "page"]),
    ("district_reviewer", "/de-nghi/", ["q", "unit", "award_type", "movement", "status", "page"]),
    ("clerk", "/de-nghi/moi/", ["unit", "route"]),
    ("province_reviewer", "/thong-ke/", ["nam", "year", "unit", "page"]),
    ("inspector", "/inspect/", ["actor", "unit", "action", "date_from", "date_to", "nomination", "page"]),
    ("inspector", "/inspect/export.csv", ["actor", "unit", "action", "date_from", "date_to", "nomination"]),
    ("inspector", "/inspect/export.xlsx", ["actor", "unit", "action", "date_from", "date_to", "nomination"]),
    ("inspector", "/inspect/decisions/", ["number"]),
    ("inspector", "/inspect/revocations/", ["page", "status"]),
    ("head", "/notifications/", ["unread", "page"]),
    (None, "/cong-khai/", ["page"]),
    (None, "/cong-khai/so-vang/", ["nam", "page"]),
    (None, "/cong-dan-dong-khoi/", ["nam", "year", "page"]),
    ("head", "/api/v1/nominations/", ["status", "unit", "award_type", "q", "page", "page_size"]),
    ("head", "/api/v1/units/", ["page", "page_size"]),
    ("head", "/api/v1/award-types/", ["unit", "page", "page_size"]),
    ("head", "/api/v1/tasks/", ["step", "page", "page_size"]),
]

POSTS = [
    ("head", "/de-nghi/trinh/", "nomination"),
    ("district_reviewer", "/de-nghi/xu-ly-hang-loat/", "task"),
    ("chairman", "/quyet-dinh/ky/", "nomination"),
]


def _client(people, persona):
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    if persona:
        client.force_login(getattr(people, persona))
    return client


@pytest.mark.parametrize(("persona", "path", "params"), PAGES, ids=[p[1] + str(p[0]) for p in PAGES])
def test_odd_query_parameters_never_get_a_server_error(people, persona, path, params):
    client = _client(people, persona)
    failures = []
    for param in params:
        for value in ODD:
            response = client.get(path, {param: value})
            if response.status_code >= 500 or response.status_code not in (200, 400, 404):
                failures.append((param, value, response.status_code))
    assert failures == []


@pytest.mark.parametrize(("persona", "path", "field"), POSTS)
def test_odd_ids_in_posted_lists_never_get_a_server_error(people, persona, path, field):
    client = _client(people, persona)
    for value in ODD:
        response = client.post(
            path, {field: [value, "1"], "action": "approve", "title": "x", "signer_title": "x"}
        )
        assert response.status_code < 500, (value, response.status_code)


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        (None, "/api/v1/auth/token/"),
        ("clerk", "/api/v1/nominations/"),
        ("chairman", "/api/v1/decisions/"),
    ],
)
def test_deeply_nested_json_is_a_400_in_vietnamese(people, persona, path):
    client = _client(people, persona)
    response = client.post(path, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Dữ liệu JSON lồng quá sâu (tối đa 32 cấp)."}
    nested = {"username": "clerk", "password": "x", "client": json.loads("[" * 40 + "]" * 40)}
    assert client.post(path, json.dumps(nested), content_type="application/json").status_code == 400


def test_json_a_little_nested_and_with_brackets_in_strings_still_parses(people):
    body = {"username": "clerk", "password": "Demo@2026", "client": "[[[[" * 20}
    response = Client().post("/api/v1/auth/token/", json.dumps(body), content_type="application/json")
    assert response.status_code == 200


def test_an_oversized_json_body_is_a_400(people, settings):
    settings.API_MAX_BODY_BYTES = 2048
    body = json.dumps({"username": "clerk", "password": "x" * 4000})
    response = Client(HTTP_ACCEPT_LANGUAGE="vi").post(
        "/api/v1/auth/token/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Dữ liệu gửi lên quá lớn (tối đa 2048 byte)."}


def test_a_bad_query_parameter_on_a_page_is_a_400_in_vietnamese(people):
    response = _client(people, "head").get("/de-nghi/", {"unit": "²"})
    assert response.status_code == 400
    assert "Đơn vị phải là số nguyên dương." in response.content.decode()
    assert Client().get("/cong-khai/so-vang/", {"nam": "9" * 40}).status_code == 400


def test_inspector_dates_at_the_ends_of_the_calendar_are_field_errors(people):
    response = _client(people, "inspector").get(
        "/inspect/", {"date_from": "01/01/0001", "date_to": "31/12/9999"}
    )
    assert response.status_code == 200
    assert "Ngày phải trong khoảng 01/01/1900 đến 31/12/2100." in response.content.decode()


@pytest.mark.parametrize("field", ["unit", "movement"])
@pytest.mark.parametrize("encoding", ["json", "form"])
def test_odd_codes_in_a_filing_are_field_errors(people, field, encoding):
    """A code is looked up in the database: a NUL byte (PostgreSQL cannot compare it; psycopg raises DataError) or
    another odd value is the field's error, never a 500."""
    client = _client(people, "clerk")
    for value in ODD:
        body = {"unit": "XA-AN-HOI", "award_type": "GK_CT_XA", "period_year": 2025, "achievements": "x"}
        body[field] = value
        if encoding == "json":
            response = client.post("/api/v1/nominations/", json.dumps(body), content_type="application/json")
        else:
            response = client.post("/api/v1/nominations/", body)
        assert response.status_code == 400, (value, response.status_code)
        assert field in response.json(), (value, response.json())
