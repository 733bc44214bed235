"""Exactly one beat (issue 21, docs/deployment.md): on a Redis broker a second `celery beat` started by mistake
waits for the first one's lock and sends nothing; when the first stops, the second takes over (celery-redbeat,
`BEAT_LOCKED` in config/settings.py)."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings

pytestmark = [pytest.mark.redis, pytest.mark.worker, pytest.mark.xdist_group("celery_worker")]

ISOLATED_REDIS_DB = 14
SCAN_SECONDS = 5  # the shortest the settings allow


def broker_url():
    url = urlsplit(settings.CELERY_BROKER_URL)
    return urlunsplit(url._replace(path=f"/{ISOLATED_REDIS_DB}"))


class Beat:
    def __init__(self, tmp_path, name):
        self.log = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CELERY_BROKER_URL": broker_url(),
            "VAR_DIR": str(tmp_path / name),
            "DEADLINE_SCAN_SECONDS": str(SCAN_SECONDS),
            "CELERY_BEAT_MAX_INTERVAL": "1",
            "CELERY_REDBEAT_LOCK_TIMEOUT": "6",
        }
        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )

    def text(self):
        return self.log.read_text(errors="replace")

    def wait_for(self, marker, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker in self.text():
                return
            assert self.process.poll() is None, f"beat exited:\n{self.text()[-3000:]}"
            time.sleep(0.2)
        raise AssertionError(f"{marker!r} not in the beat's log after {timeout}s:\n{self.text()[-3000:]}")

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def sent_tasks(client):
    """The task names waiting in the default queue (no worker consumes them here)."""
    return Counter(json.loads(raw)["headers"]["task"] for raw in client.lrange("celery", 0, -1))


@pytest.fixture
def client():
    connection = redis.Redis.from_url(broker_url())
    connection.flushdb()
    yield connection
    connection.flushdb()


def test_a_second_beat_sends_nothing_until_the_first_stops(tmp_path, client):
    first = Beat(tmp_path, "first")
    second = None
    try:
        first.wait_for("beat: Acquired lock")
        second = Beat(tmp_path, "second")
        second.wait_for("beat: Starting...")
        time.sleep(3 * SCAN_SECONDS)

        assert "Sending due task" in first.text()
        assert "Acquired lock" not in second.text() and "Sending due task" not in second.text()
        scans = sent_tasks(client)["workflows.deadlines_scan"]
        # One beat: a scan every SCAN_SECONDS since it started (two beats would send each one twice).
        elapsed = 3 * SCAN_SECONDS + 2
        assert 1 <= scans <= elapsed // SCAN_SECONDS + 2, scans

        first.stop()  # a clean stop releases the lock: the second beat takes over at once
        second.wait_for("beat: Acquired lock", timeout=30)
        second.wait_for("Sending due task", timeout=30)
    finally:
        first.stop()
        if second:
            second.stop()
