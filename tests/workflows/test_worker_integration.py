"""A real Celery worker process on Redis renders a signed decision; a worker killed mid-task loses nothing.

Run with PostgreSQL and Redis (the worker is a separate process, so it needs a database it can share):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/celery CELERY_BROKER_URL=redis://127.0.0.1:6379/2 \
        .venv/bin/pytest -q tests/workflows/test_worker_integration.py
"""

import os
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

from approvals.models import Certificate, Decision
from audit.models import Event
from config.celery import app as celery_app
from tests.factories import file_nomination
from tests.workers import Worker
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)

# One xdist worker runs every test that starts or pings Celery workers: they share the broker's queue and
# broadcast channel, so two of them in parallel would steal each other's tasks and answer each other's pings.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.xdist_group("celery_worker"),
]

VISIBILITY_TIMEOUT = 4
ISOLATED_REDIS_DB = 13


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**env):
    """The environment of a worker on the test database, broker and isolated VAR_DIR (see config.settings_test)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": isolated_broker_url(),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        # Look for lost tasks every second rather than kombu's default 100 s (interval 10 × throttle 10).
        "CELERY_RESTORE_INTERVAL": "1",
        "CELERY_RESTORE_THROTTLE": "1",
        # A worker killed while it held the restore lock (it takes it every second here) would otherwise keep the
        # killed task from coming back for kombu's 300 s.
        "CELERY_RESTORE_MUTEX_EXPIRE": "2",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "VAR_DIR": str(settings.VAR_DIR),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "AXES_ENABLED": "false",
        **env,
    }


BROKER_KEYS = ("broker_url", "broker_write_url", "broker_read_url")


def isolated_broker_url():
    """The test broker's Redis server, in a database of these tests' own: the other xdist worker's tests talk to
    the broker too (every /health/ of the permission matrix pings through it), and twice a killed worker's task
    was then never redelivered; with the queue, its unacknowledged copies and the restore lock to themselves,
    these tests depend on nothing else running."""
    url = urlsplit(settings.CELERY_BROKER_URL)
    return urlunsplit(url._replace(path=f"/{ISOLATED_REDIS_DB}"))


def _reset_pools():
    """Forget the app's connection and producer pools, so the next publish uses the broker now configured (kombu
    keeps one pool per broker URL; closing one would break it for whoever uses that URL next)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def workers(tmp_path, monkeypatch):
    """Publish for real (no eager mode) on the isolated broker and stop every started worker before the test
    database is flushed."""
    eager = celery_app.conf.task_always_eager
    original = {key: celery_app.conf.get(key) for key in BROKER_KEYS}
    monkeypatch.setenv("CELERY_BROKER_URL", isolated_broker_url())  # Celery prefers it to its configuration
    for key in BROKER_KEYS:
        celery_app.conf[key] = isolated_broker_url()
    _reset_pools()
    celery_app.conf.task_always_eager = False
    # Nothing left by an earlier run: queue, unacknowledged copies, restore lock.
    redis.Redis.from_url(isolated_broker_url()).flushdb()
    started = []

    def start(name, **env):
        worker = Worker(tmp_path, name, worker_env(**env)).start()
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = eager
        for worker in started:
            worker.stop()
        for key, value in original.items():
            celery_app.conf[key] = value
        _reset_pools()


def sign_one(people, full_name="Nguyễn Thị Định"):
    nomination = file_nomination(people.clerk, full_name=full_name)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    return decision_sign(
        actor=people.chairman, nominations=[nomination]
    )  # commits: on_commit publishes the task


def wait_for_documents(decision_id, timeout=90, workers=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        decision = Decision.objects.get(pk=decision_id)
        certificates = Certificate.objects.filter(decision_id=decision_id)
        if decision.pdf and decision.docx and all(c.pdf for c in certificates):
            return decision
        time.sleep(0.5)
    logs = "\n".join(f"--- {w.name}\n{w.text()[-3000:]}" for w in workers)
    raise AssertionError(
        f"documents of decision {decision_id} not produced within {timeout}s\n{broker_state()}\n{logs}"
    )


def broker_state():
    """What the isolated broker holds (queue, unacknowledged copies, restore lock, clients), for a failure."""
    client = redis.Redis.from_url(isolated_broker_url())
    index = client.zrange("unacked_index", 0, -1, withscores=True)
    return "\n".join(
        [
            f"--- broker at {time.time():.1f}: keys {sorted(k.decode() for k in client.scan_iter())}",
            f"queue 'celery': {client.llen('celery')} message(s); unacked: {client.hlen('unacked')}",
            f"unacked_index: {[(tag.decode(), round(score, 1)) for tag, score in index]}",
            f"unacked_mutex ttl: {client.ttl('unacked_mutex')}",
            "clients: "
            + "; ".join(
                f"{c.get('name') or '-'} {c.get('cmd')} idle={c.get('idle')}" for c in client.client_list()
            ),
        ]
    )


def stored_files(subdir):
    root = Path(settings.MEDIA_ROOT) / subdir
    return sorted(p.relative_to(settings.MEDIA_ROOT).as_posix() for p in root.rglob("*") if p.is_file())


def test_real_worker_renders_a_signed_decision(tpeople, workers):
    worker = workers("w1")
    decision = sign_one(tpeople)
    decision = wait_for_documents(decision.pk, workers=[worker])
    assert (Path(settings.MEDIA_ROOT) / decision.pdf.name).read_bytes().startswith(b"%PDF")
    assert "workflows.decision_documents_render" in worker.text()
    assert stored_files("decisions") == sorted([decision.pdf.name, decision.docx.name])


def test_worker_killed_mid_render_redelivers_and_produces_once(tpeople, workers):
    slow = workers("slow", DOCUMENTS_RENDER_DELAY="60")
    decision = sign_one(tpeople)
    slow.wait_for_log("DOCUMENTS_RENDER_DELAY: sleeping")
    slow.kill()  # SIGKILL mid-task: the message was never acknowledged (acks_late)
    assert not Decision.objects.get(pk=decision.pk).pdf

    time.sleep(VISIBILITY_TIMEOUT + 1)  # past the visibility timeout, the next worker restores the message
    fresh = workers("fresh")
    decision = wait_for_documents(decision.pk, workers=[slow, fresh])

    assert "workflows.decision_documents_render" in fresh.text()
    generated = Event.objects.filter(action="document.generate", chain=f"decision:{decision.pk}")
    assert sorted(e.data["field"] for e in generated) == [
        "docx",
        "pdf",
        "pdf",
    ]  # decision pdf, docx, certificate
    assert stored_files("decisions") == sorted([decision.pdf.name, decision.docx.name])
    assert len(stored_files("certificates")) == 1  # no duplicate, no half-written .part file


def test_health_is_200_with_a_running_worker(transactional_db, client, workers):
    workers("healthy")
    response = client.get("/health/")
    assert response.status_code == 200, response.content
    body = response.json()
    # At least this worker: a Redis broker shared with another run on the machine may carry its workers' answers.
    assert body["status"] == "ok" and body["workers"]["count"] >= 1
    answered = [name for reply in celery_app.control.ping(timeout=2) for name in reply]
    assert any(name.startswith("healthy@") for name in answered), answered
