"""GET /health/: database, broker and worker status as JSON, 200 only when all are fine."""

import pytest
from django.urls import reverse

from config.celery import app as celery_app

# Same group as the worker integration tests, which would otherwise answer the "no worker" ping.
pytestmark = pytest.mark.xdist_group("celery_worker")


@pytest.fixture
def broker_url():
    """Point the Celery app at another broker for one test, restoring it afterwards."""
    keys = ("broker_url", "broker_write_url", "broker_read_url")
    original = {key: celery_app.conf.get(key) for key in keys}

    def use(url):
        for key in keys:
            celery_app.conf[key] = url

    yield use
    for key, value in original.items():
        celery_app.conf[key] = value


@pytest.mark.django_db
def test_no_worker_answering_is_503(client):
    # The test broker (filesystem, or Redis in CI) is reachable but no worker runs in this test.
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"]["status"] == "ok" and body["broker"]["status"] == "ok"
    assert body["workers"] == {"status": "error", "count": 0}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_unreachable_broker_is_503_without_pinging(client, broker_url):
    broker_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["status"] == "error" and body["workers"]["count"] == 0
    assert body["database"]["status"] == "ok"


@pytest.mark.django_db
def test_health_needs_no_login_and_rejects_post(client):
    assert client.get(reverse("health")).status_code in (200, 503)
    assert client.post(reverse("health")).status_code == 405
