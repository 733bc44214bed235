"""The demo province's year of the movement (issue 24): `seed_demo --movement` runs it through the real services."""

import pytest
from django.core.management import call_command

from nominations.models import (
    ExemplaryModel,
    Movement,
    Nomination,
    Registration,
    RegistrationStatus,
    ReviewStatus,
)
from workflows import demo
from workflows.services import open_task_of

pytestmark = pytest.mark.django_db


def test_seed_movement_shows_a_full_year(people):
    demo.seed_movement()
    movement = Movement.objects.get(code=demo.SUCCESSOR["code"])
    assert movement.predecessor.code == "dong_khoi_moi_2020_2025"
    registrations = Registration.objects.filter(movement=movement)
    assert registrations.count() == len(demo.MOVEMENT_REGISTRATIONS)
    assert set(registrations.values_list("status", flat=True)) == {RegistrationStatus.ACKNOWLEDGED}
    assert ExemplaryModel.objects.filter(movement=movement).count() == 2
    review = movement.reviews.get()
    assert review.status == ReviewStatus.OPEN and review.honour_round is not None
    proposal = review.flag_proposals.get()
    assert proposal.unit.code == "BT.MCN"
    flag = Nomination.objects.get(pk=proposal.nomination_id)
    assert open_task_of(flag).step == "appraise"  # handed to the standard route, at the province
    assert movement.targets.filter(year=review.year + 1).exists()
    demo.seed_movement()  # a second run changes nothing
    assert Registration.objects.filter(movement=movement).count() == len(demo.MOVEMENT_REGISTRATIONS)


def test_seed_demo_command_takes_the_movement_flag(people, capsys):
    call_command("seed_demo", "--movement")
    out = capsys.readouterr().out
    assert "Đồng khởi mới 2026–2030" in out and "cluster_head" in out


def test_the_movement_year_survives_the_2025_reorganisation_of_the_demo(people):
    from io import StringIO

    call_command("seed_demo", "--movement", "--with-2025-reorganisation", stdout=StringIO())
    review = Movement.objects.get(code=demo.SUCCESSOR["code"]).reviews.get()
    flag = Nomination.objects.get(pk=review.flag_proposals.get().nomination_id)
    assert open_task_of(flag) is not None  # still in flight, wherever the reorganisation moved it
