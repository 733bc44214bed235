"""GET /health/: database, broker and worker status as JSON, 200 only when all are fine."""

import os
import secrets
import time

import pytest
from celery import Celery
from django.conf import settings
from django.urls import reverse

from config.celery import app as celery_app
from config.settings import filesystem_broker_options
from tests.workers import Worker

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


BROKER_VARIABLES = ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL")


def running_instance_env(tmp_path):
    """The environment of `make run`'s worker: embedded defaults, so its broker is the checkout's var/.

    Only its database, media and key are throwaway, so the developer's var/db.sqlite3 is never opened.
    """
    inherited = {"VAR_DIR", "DATABASE_URL", "RUN_MODE", "SQLITE_PATH", "MEDIA_ROOT", *BROKER_VARIABLES}
    return {
        **{key: value for key, value in os.environ.items() if key not in inherited},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": secrets.token_urlsafe(50),
    }


def ping_checkout_broker(monkeypatch, timeout=20):
    """Return the names of the workers answering on the checkout's var/ broker, waiting for at least one."""
    # An app of its own: Control.ping publishes through the app's producer pool, whatever connection it is given.
    probe = Celery("checkout-broker", broker="filesystem://", set_as_current=False)
    probe.conf.broker_transport_options = filesystem_broker_options(settings.BASE_DIR / "var")
    deadline = time.monotonic() + timeout
    with monkeypatch.context() as patch:
        for variable in BROKER_VARIABLES:  # Celery prefers them to its configuration
            patch.delenv(variable, raising=False)
        while True:
            names = [name for reply in probe.control.ping(timeout=2) or [] for name in reply]
            if names or time.monotonic() > deadline:
                return names


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


@pytest.mark.worker
@pytest.mark.django_db
def test_worker_of_a_running_instance_does_not_answer(client, tmp_path, monkeypatch):
    # `make run` serving from this checkout: a worker on the default var/ broker. A queue of its own keeps it off
    # the tasks of an instance really running; a fixed name leaves at most one binding in var/ (the filesystem
    # broker never removes a stopped worker's), shared by test runs at once, which answer each other's pings alike.
    name = "test-running-instance"
    worker = Worker(tmp_path, name, running_instance_env(tmp_path), queues=[name])
    try:
        worker.start()
        assert any(answer.startswith(f"{name}@") for answer in ping_checkout_broker(monkeypatch)), (
            worker.text()[-3000:]
        )

        response = client.get(reverse("health"))
        assert response.status_code == 503, response.content
        assert response.json()["workers"] == {"status": "error", "count": 0}
    finally:
        worker.stop()


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
