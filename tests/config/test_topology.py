"""The production topology starts from its one command and works end to end (issue 21, docs/deployment.md):
`scripts/run_prod.sh` (RUN_MODE=production, PostgreSQL, Redis, gunicorn x2, a Celery worker, one locked beat) on a
fresh database, then scripts/api_journey.py takes a nomination to a signed decision over HTTP and the worker renders
the decision's documents."""

import importlib.util
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection
from psycopg import sql

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.xdist_group("celery_worker"),
]

ROOT = Path(__file__).resolve().parents[2]
ISOLATED_REDIS_DB = 12
START_TIMEOUT = 420


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_url(database):
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"


def get_json(url):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def api_journey():
    spec = importlib.util.spec_from_file_location("api_journey", ROOT / "scripts" / "api_journey.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def topology(tmp_path):
    database = f"topology_{uuid.uuid4().hex[:8]}"
    broker = urlunsplit(urlsplit(settings.CELERY_BROKER_URL)._replace(path=f"/{ISOLATED_REDIS_DB}"))
    redis.Redis.from_url(broker).flushdb()
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "THIDUA_")) and key not in ("VAR_DIR", "RUN_MODE")
    }
    env.update(
        DATABASE_URL=server_url(database),
        CELERY_BROKER_URL=broker,
        VAR_DIR=str(tmp_path / "var"),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_WORKERS="2",
        WORKER_CONCURRENCY="1",
    )
    log = tmp_path / "run_prod.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            ["bash", "scripts/run_prod.sh"],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"

    def logs():
        parts = [log.read_text(errors="replace")[-4000:]]
        for name in ("worker.log", "beat.log", "gunicorn.log"):
            path = tmp_path / "var" / "log" / name
            if path.exists():
                parts.append(f"--- {name}\n{path.read_text(errors='replace')[-3000:]}")
        return "\n".join(parts)

    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, f"run_prod.sh exited ({process.returncode}):\n{logs()}"
            try:
                status, body = get_json(f"{base}/health/")
                if status == 200 and body["workers"]["status"] == "ok":
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"not healthy after {START_TIMEOUT}s:\n{logs()}"
            time.sleep(2)
        yield base, tmp_path / "var" / "log", logs
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        admin = urlunsplit(urlsplit(server_url("postgres")))
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
        redis.Redis.from_url(broker).flushdb()


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode(errors="replace")


def test_production_topology_takes_a_nomination_to_a_signed_decision(topology):
    base, log_dir, logs = topology
    # The pages render with the collected, hashed static files (a missing manifest entry would be a 500).
    for path in ("/accounts/login/", "/admin/login/", "/api/docs/", "/"):
        status, body = fetch(base + path)
        assert status == 200, (path, status, logs())
    status, css = fetch(base + "/static/" + body.split('href="/static/', 1)[1].split('"', 1)[0])
    assert status == 200 and css
    lines = []
    ok, pk, decision = api_journey().run(base, out=lines.append)
    assert ok, "\n".join(lines) + "\n" + logs()

    journey = api_journey()
    chairman = journey.login(base, "chairman", "Demo@2026", lambda line: None)
    deadline = time.monotonic() + 180
    while True:
        body = chairman.get(f"/api/v1/decisions/{decision['id']}/")
        if body["documents_status"] == "ready":
            break
        assert time.monotonic() < deadline, f"documents not rendered by the worker:\n{logs()}"
        time.sleep(2)
    assert body["documents"]["pdf"]
    assert "workflows.decision_documents_render" in (log_dir / "worker.log").read_text(errors="replace")
    assert "beat: Acquired lock" in (log_dir / "beat.log").read_text(errors="replace")
