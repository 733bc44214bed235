"""A real Celery worker process on Redis renders a signed decision; a worker killed mid-task loses nothing.

Run with PostgreSQL and Redis (the worker is a separate process, so it needs a database it can share):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/celery CELERY_BROKER_URL=redis://127.0.0.1:6379/2 \
        .venv/bin/pytest -q tests/workflows/test_worker_integration.py
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from approvals.models import Certificate, Decision
from audit.models import Event
from config.celery import app as celery_app
from tests.factories import file_nomination
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


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A `celery -A config worker -P solo` subprocess on the test database and broker, logging to a file."""

    def __init__(self, tmp_path, name, **env):
        self.log = tmp_path / f"{name}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "VAR_DIR": str(tmp_path / "var"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "AXES_ENABLED": "false",
            **env,
        }
        self.name = name
        self.process = None

    def start(self):
        handle = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-P",
                "solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{self.name}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        self.wait_for_log("ready.")
        return self

    def text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for_log(self, marker, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker in self.text():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited ({self.process.returncode}):\n{self.text()[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"{marker!r} not in worker log after {timeout}s:\n{self.text()[-3000:]}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(tmp_path):
    """Publish for real (no eager mode) and stop every started worker before the test database is flushed."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    started = []

    def start(name, **env):
        worker = Worker(tmp_path, name, **env).start()
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = eager
        for worker in started:
            worker.stop()


def sign_one(people, full_name="Nguyễn Thị Định"):
    nomination = file_nomination(people.clerk, full_name=full_name)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    return decision_sign(
        actor=people.chairman, nominations=[nomination]
    )  # commits: on_commit publishes the task


def wait_for_documents(decision_id, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        decision = Decision.objects.get(pk=decision_id)
        certificates = Certificate.objects.filter(decision_id=decision_id)
        if decision.pdf and decision.docx and all(c.pdf for c in certificates):
            return decision
        time.sleep(0.5)
    raise AssertionError(f"documents of decision {decision_id} not produced within {timeout}s")


def stored_files(subdir):
    root = Path(settings.MEDIA_ROOT) / subdir
    return sorted(p.relative_to(settings.MEDIA_ROOT).as_posix() for p in root.rglob("*") if p.is_file())


def test_real_worker_renders_a_signed_decision(tpeople, workers):
    worker = workers("w1")
    decision = sign_one(tpeople)
    decision = wait_for_documents(decision.pk)
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
    decision = wait_for_documents(decision.pk)

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
    assert body["status"] == "ok" and body["workers"]["count"] == 1
