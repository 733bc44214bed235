"""Races that only a real database shows: run on PostgreSQL with real transactions and threads."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection

from approvals.models import Decision
from organisation.models import Role
from organisation.services import membership_grant
from tests.factories import file_nomination, unit
from workflows.models import TaskScope
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(*calls):
    """Start all calls at the same moment; return [(result, error)] in call order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = (call(), None)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            outcomes[index] = (None, exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def _ready_to_sign(people, name):
    nomination = file_nomination(people.clerk, full_name=name)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    return nomination


def test_double_click_on_the_same_task_applies_once(tpeople):
    nomination = file_nomination(tpeople.clerk)
    nomination_submit(actor=tpeople.head, nomination=nomination)
    task_id = open_task_of(nomination).task_id
    User = get_user_model()

    def click():
        return review_forward(actor=User.objects.get(username="district_reviewer"), task_id=task_id)

    outcomes = _in_threads(click, click)
    succeeded = [o for o in outcomes if o[1] is None]
    failed = [o for o in outcomes if o[1] is not None]
    assert len(succeeded) == 1 and len(failed) == 1
    assert isinstance(failed[0][1], ValidationError)
    assert TaskScope.objects.filter(nomination=nomination, step="review").count() == 1
    assert TaskScope.objects.filter(nomination=nomination, step="appraise", is_open=True).count() == 1


def test_two_approvers_signing_at_once_get_distinct_numbers(tpeople):
    second = get_user_model().objects.create_user("vice_chairman", password="x")
    membership_grant(user=second, unit=unit("BT"), role=Role.APPROVER)
    first_batch = [_ready_to_sign(tpeople, f"Người A{i}") for i in range(2)]
    second_batch = [_ready_to_sign(tpeople, f"Người B{i}") for i in range(2)]
    User = get_user_model()

    def sign(username, batch):
        return lambda: decision_sign(actor=User.objects.get(username=username), nominations=batch).number

    outcomes = _in_threads(sign("chairman", first_batch), sign("vice_chairman", second_batch))
    assert all(error is None for _, error in outcomes), outcomes
    numbers = sorted(result for result, _ in outcomes)
    assert numbers == ["01/QĐ-UBND", "02/QĐ-UBND"]
    assert Decision.objects.count() == 2
