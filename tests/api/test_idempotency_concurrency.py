"""Concurrent retries on PostgreSQL: one application, the other request replays it or is told it is done."""

import threading

import pytest
from django.db import connection

from approvals.models import ReviewRecord
from audit.models import Event
from tests.api.conftest import client_for
from tests.api.helpers import at_step

pytestmark = pytest.mark.postgres


def _race(user, url, payload, headers, n=2):
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(index):
        try:
            client = client_for(user)
            barrier.wait()
            response = client.post(url, payload, format="json", **headers)
            results[index] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_concurrent_retries_with_one_key_apply_once_and_answer_alike(tpeople):
    nomination, task_id = at_step(tpeople, "review")
    results = _race(
        tpeople.district_reviewer,
        f"/api/v1/tasks/{task_id}/complete/",
        {"action": "forward"},
        {"HTTP_IDEMPOTENCY_KEY": "same-key"},
    )
    assert [status for status, _ in results] == [200, 200]
    assert results[0][1] == results[1][1]
    assert ReviewRecord.objects.filter(nomination=nomination, action="forward").count() == 1
    assert Event.objects.filter(nomination_id=nomination.pk, action="task.forward").count() == 1


def test_concurrent_completions_without_key_apply_once(tpeople):
    nomination, task_id = at_step(tpeople, "review")
    results = _race(
        tpeople.district_reviewer, f"/api/v1/tasks/{task_id}/complete/", {"action": "forward"}, {}
    )
    assert sorted(status for status, _ in results) == [200, 409]
    assert ReviewRecord.objects.filter(nomination=nomination, action="forward").count() == 1


def test_concurrent_signatures_with_one_key_make_one_decision(tpeople):
    from approvals.models import Decision

    nomination, _ = at_step(tpeople, "sign")
    results = _race(
        tpeople.chairman,
        "/api/v1/decisions/",
        {"nominations": [nomination.pk]},
        {"HTTP_IDEMPOTENCY_KEY": "sign-once"},
    )
    assert [status for status, _ in results] == [201, 201]
    assert results[0][1]["number"] == results[1][1]["number"]
    assert Decision.objects.count() == 1


def test_completion_waits_for_a_busy_process_then_applies_with_its_key(tpeople, monkeypatch):
    """Inside the idempotent block the transition's process lock takes no savepoint (SKIP LOCKED, not NOWAIT): a
    process another transaction holds is retried as before, the refusal after the last attempt stores nothing and
    leaves the connection usable, and the same key then applies once the process is free."""
    from viewflow.workflow.models import Task

    from api.models import IdempotencyRecord
    from workflows import services
    from workflows.models import NominationProcess

    monkeypatch.setattr(services.time, "sleep", lambda seconds: None)
    nomination, task_id = at_step(tpeople, "review")
    process_id = Task.objects.get(pk=task_id).process_id
    held, release = threading.Event(), threading.Event()

    def holder():
        from django.db import transaction

        try:
            with transaction.atomic():
                NominationProcess.objects.select_for_update().get(pk=process_id)
                held.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(30)
    client = client_for(tpeople.district_reviewer)
    url, headers = f"/api/v1/tasks/{task_id}/complete/", {"HTTP_IDEMPOTENCY_KEY": "busy-key"}
    try:
        busy = client.post(url, {"action": "forward"}, format="json", **headers)
    finally:
        release.set()
        thread.join(30)
    assert busy.status_code == 400, busy.content
    assert "người khác" in str(busy.json())
    assert not IdempotencyRecord.objects.filter(key="busy-key").exists()
    assert not ReviewRecord.objects.filter(nomination=nomination, action="forward").exists()
    done = client.post(url, {"action": "forward"}, format="json", **headers)
    assert done.status_code == 200, done.content
    assert ReviewRecord.objects.filter(nomination=nomination, action="forward").count() == 1
    assert IdempotencyRecord.objects.get(key="busy-key").status_code == 200
