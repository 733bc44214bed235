"""Firing many due posting timers as one set-based step leaves exactly the rows of viewflow's firing them one at a
time (issue 21).

The same due timers are fired twice from the same database state — once by viewflow's sweep (`fire_due_timers`,
the reference), rolled back, then by the beat's sweep (`steps.timers_fire_due`) — and every table either path writes
is compared row by row (tests/workflows/test_batch_rows.py's snapshot). Postings of an award the council votes on
(timer → check_vote → tally_vote) and of one it does not (→ sign); a timer whose path the batch does not walk, and a
batch that fails, fire with viewflow's own firing and still leave the same rows.
"""

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.timers import fire_due_timers

from audit.verify import chain_verify
from nominations.models import AwardType, Nomination
from tests.factories import VOTED_COLLECTIVE, file_nomination
from tests.workflows.test_batch_rows import Rollback, _marks, _snapshot
from workflows import steps
from workflows.services import appraisal_approve, nomination_submit, open_task_of, review_forward

POSTED = "bang_khen_tinh"  # posted publicly here (not by the catalogue), never voted: its timer leads to the signature


def _posted(people):
    """Four nominations whose public posting opened on four different weeks (their timers fall due in turn): two
    the council votes on, two it does not."""
    AwardType.objects.filter(code=POSTED).update(requires_public_posting=True, posting_working_days=5)
    year = timezone.localdate().year
    cases = [
        (VOTED_COLLECTIVE, "collective", "Tổ dân phố số 1"),
        (POSTED, "individual", "Nguyễn Văn Một"),
        (VOTED_COLLECTIVE, "collective", "Tổ dân phố số 2"),
        (POSTED, "individual", "Trần Thị Hai"),
    ]
    ids = []
    for weeks_ago, (award_code, kind, name) in zip((8, 7, 6, 5), cases, strict=True):
        with time_machine.travel(timezone.now() - timedelta(weeks=weeks_ago)):
            nomination = file_nomination(
                people.clerk, award_code=award_code, kind=kind, full_name=name, year=year
            )
            nomination_submit(actor=people.head, nomination=nomination)
            review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
            appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
        ids.append(nomination.pk)
    assert Task.objects.filter(flow_task_type="TIMER", status="SCHEDULED").count() == 4
    return ids


def _unwalkable(process_id):
    """`steps._path` refusing the path of one process, as it refuses any node it does not run in memory."""
    walk = steps._path

    def path(node, process):
        if process.pk == process_id:
            raise steps._Unsupported(node)
        return walk(node, process)

    return path


def _failing(*args, **kwargs):
    raise RuntimeError("a node failed in the batch")


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["set-based", "one path not walked", "the batch failing"])
def test_firing_due_timers_at_once_leaves_the_rows_of_viewflow_firing_them_one_by_one(
    people, monkeypatch, case
):
    ids = _posted(people)
    marks = _marks()
    try:
        with transaction.atomic():
            assert fire_due_timers() == 4
            one_by_one = _snapshot(marks)
            raise Rollback
    except Rollback:
        pass
    viewflow_fired = []
    monkeypatch.setattr(steps, "fire_due_timers", lambda: viewflow_fired.append(fire_due_timers()) or 0)
    if case == "one path not walked":  # the last one due, so the notices are written in the same order
        last = (
            Task.objects.filter(flow_task_type="TIMER", status="SCHEDULED").order_by("scheduled", "pk").last()
        )
        monkeypatch.setattr(steps, "_path", _unwalkable(last.process_id))
    if case == "the batch failing":
        monkeypatch.setattr(steps, "_continue", _failing)
    batch_fired = steps.timers_fire_due()
    monkeypatch.undo()
    expected = {"set-based": (4, [0]), "one path not walked": (3, [1]), "the batch failing": (0, [4])}[case]
    assert (batch_fired, viewflow_fired) == expected
    batch = _snapshot(marks)
    steps_now = sorted(Nomination.objects.filter(pk__in=ids).values_list("current_step", flat=True))
    assert steps_now == ["sign", "sign", "tally_vote", "tally_vote"]
    for key in one_by_one:
        assert batch[key] == one_by_one[key], json.dumps(
            [key, one_by_one[key], batch[key]], ensure_ascii=False, default=str
        )
    assert chain_verify().ok


@pytest.mark.django_db
def test_timers_not_due_yet_are_left_scheduled(people):
    _posted(people)
    timers = Task.objects.filter(flow_task_type="TIMER", status="SCHEDULED")
    moments = sorted(timers.values_list("scheduled", flat=True))
    assert moments[0] < moments[-1]
    with time_machine.travel(moments[0] + timedelta(minutes=1), tick=False):
        due = sum(moment <= moments[0] for moment in moments)
        assert steps.timers_fire_due() == due  # the windows closed by then, no other
    assert timers.count() == 4 - due
