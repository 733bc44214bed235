"""nomination_move: the one writer of where a nomination stands."""

import datetime

import pytest

from nominations.models import Nomination, Status
from nominations.process import Step
from nominations.services import nomination_move
from tests.factories import file_nomination


def test_move_writes_only_the_columns_it_is_given(people):
    nomination = file_nomination(people.clerk)
    nomination.refresh_from_db()
    unit_before, due_before = nomination.current_unit_id, nomination.due_on
    assert unit_before is not None and due_before is not None
    # Another writer changes the row meanwhile; the move must not put the stale value back.
    Nomination.objects.filter(pk=nomination.pk).update(achievements="Sửa bởi người khác.")
    nomination_move(nomination, status=Status.POSTING, step=Step.POSTING)
    row = Nomination.objects.get(pk=nomination.pk)
    assert (row.status, row.current_step) == (Status.POSTING, Step.POSTING)
    assert (row.current_unit_id, row.due_on) == (unit_before, due_before)
    assert row.achievements == "Sửa bởi người khác."


def test_move_clears_the_due_date_and_unit_when_given_none(people):
    nomination = file_nomination(people.clerk)
    nomination_move(nomination, step=Step.END, unit=None, due_on=None)
    row = Nomination.objects.get(pk=nomination.pk)
    assert (row.current_step, row.current_unit_id, row.due_on) == (Step.END, None, None)
    assert row.status == Status.DRAFT


def test_move_refuses_a_step_outside_the_vocabulary(people):
    nomination = file_nomination(people.clerk)
    with pytest.raises(ValueError):
        nomination_move(nomination, step="hop_hoi_dong", due_on=datetime.date(2030, 1, 1))
    assert Nomination.objects.get(pk=nomination.pk).current_step == Step.SUBMIT
