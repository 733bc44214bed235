"""The client address of a request: REMOTE_ADDR, or the entry the trusted proxy appended to X-Forwarded-For."""

import pytest
from django.test import RequestFactory

from audit.context import client_address, origin_from_request


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = _request(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.254"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the leftmost entry is the client's to forge
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.5", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.254"),  # fewer entries than proxies: the request bypassed one
        (1, "not-an-address", "10.0.0.254"),
        (1, "", "10.0.0.254"),
    ],
)
def test_behind_trusted_proxies_the_outermost_proxy_entry_is_the_client(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = _request(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_audit_origin_records_the_client_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert origin_from_request(request).ip == "203.0.113.7"
