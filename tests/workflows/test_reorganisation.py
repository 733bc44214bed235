"""The reorganisation operation: units close and open, links, memberships, and nominations in flight re-routed."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import Event
from nominations.models import Person, Status
from organisation.models import Membership, Unit, UnitSuccession, predecessor_ids
from organisation.policy import forget_scope
from organisation.services import membership_grant
from tests.factories import file_nomination, unit
from workflows.models import Reorganisation
from workflows.reorganisation import reorganisation_apply, reorganisation_preview
from workflows.selectors import inbox_for
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_resubmit,
    nomination_submit,
    open_task_of,
    review_forward,
)


def merge_plan(**extra):
    """Mỏ Cày Nam and Mỏ Cày Bắc become Huyện Mỏ Cày; xã Định Thủy and xã Phước Hiệp become one commune."""
    return {
        "code": "TEST-MOCAY",
        "effective_on": timezone.localdate().isoformat(),
        "reason": "Nghị quyết sáp nhập (thử nghiệm)",
        "operations": [
            {
                "kind": "merge",
                "from": ["BT.MCN", "BT.MCB"],
                "to": {"code": "BT.MOCAY", "name": "Huyện Mỏ Cày", "tier": "district", "parent": "BT"},
            },
            {
                "kind": "merge",
                "from": ["BT.MCN.DINHTHUY", "BT.MCN.PHUOCHIEP"],
                "to": {
                    "code": "BT.MOCAY.DINHTHUY",
                    "name": "Xã Định Thủy mới",
                    "tier": "base",
                    "parent": "BT.MOCAY",
                },
                "memberships": "move",
            },
        ],
        **extra,
    }


def fresh(user):
    user = get_user_model().objects.get(pk=user.pk)
    forget_scope(user)
    return user


@pytest.fixture
def new_reviewer(db):
    return get_user_model().objects.create_user("mocay_reviewer")


def test_merge_moves_the_review_task_to_the_successor_reviewer(people, new_reviewer):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    task = open_task_of(nomination)
    assert task.step == "review" and task.unit.code == "BT.MCN"

    report = reorganisation_apply(plan=merge_plan(), actor=people.admin)

    assert ["BT.MCN", "BT.MOCAY"] in report["links"] and ["BT.MCB", "BT.MOCAY"] in report["links"]
    assert report["tasks_moved"] == [[nomination.pk, "review", "BT.MCN", "BT.MOCAY"]]
    successor = unit("BT.MOCAY")
    assert unit("BT.MCN").valid_to == timezone.localdate() - timedelta(days=1)
    assert successor.valid_from == timezone.localdate() and successor.valid_to is None
    assert unit("BT.MCN.BINHKHANH").parent == successor  # a commune the plan did not name keeps its identity
    # The district's people are listed for re-granting; the commune's moved with it.
    assert ["district_reviewer", "reviewer", "BT.MCN", "BT.MOCAY"] in report["memberships_to_regrant"]
    assert ["head", "unit_head", "BT.MCN.DINHTHUY", "BT.MOCAY.DINHTHUY"] in report["memberships_moved"]
    nomination.refresh_from_db()
    assert nomination.unit.code == "BT.MOCAY.DINHTHUY" and nomination.route_units == [successor.pk]
    assert nomination.current_unit == successor
    event = Event.objects.get(action="task.reroute", nomination_id=nomination.pk)
    assert event.data["from"] == "BT.MCN" and event.data["to"] == "BT.MOCAY" and event.actor == people.admin

    membership_grant(user=new_reviewer, unit=successor, role="reviewer")
    assert [row.nomination_id for row in inbox_for(fresh(new_reviewer))] == [nomination.pk]
    with pytest.raises(PermissionDenied):
        review_forward(actor=fresh(people.district_reviewer), task_id=task.task_id)
    review_forward(actor=fresh(new_reviewer), task_id=task.task_id)
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL and nomination.current_unit.code == "BT"
    # History stays on the old unit and is found from the successor.
    assert {unit("BT.MCN").pk, unit("BT.MCB").pk} <= predecessor_ids([successor.pk])


def test_preview_lists_exactly_what_apply_changes_and_changes_nothing(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    units, memberships = Unit.objects.count(), Membership.objects.active().count()
    events = Event.objects.count()
    preview = reorganisation_preview(plan=merge_plan())
    assert Unit.objects.count() == units and Membership.objects.active().count() == memberships
    assert Event.objects.count() == events and unit("BT.MCN").valid_to is None
    assert open_task_of(nomination).unit.code == "BT.MCN"
    assert preview["units_opened"] and preview["tasks_moved"]
    applied = reorganisation_apply(plan=merge_plan(), actor=people.admin)
    assert applied == preview
    # Applying again changes nothing: idempotent, and an interrupted run would finish here.
    again = reorganisation_apply(plan=merge_plan(), actor=people.admin)
    assert all(not rows for rows in again.values()), again
    assert Reorganisation.objects.get(code="TEST-MOCAY").status == "applied"


def test_a_decision_signed_after_the_date_carries_the_successor(people):
    nomination = file_nomination(people.clerk, award_code="giay_khen")
    nomination_submit(actor=people.head, nomination=nomination)
    appraisal_approve(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    assert open_task_of(nomination).step == "sign"
    reorganisation_apply(plan=merge_plan(), actor=people.admin)
    nomination.refresh_from_db()
    issuer = nomination.deciding_unit
    assert issuer.valid_from == timezone.localdate() and issuer.code.startswith("BT.MOCAY")
    signer = get_user_model().objects.create_user("mocay_chairman")
    membership_grant(user=signer, unit=issuer, role="approver")
    with pytest.raises(PermissionDenied):
        decision_sign(actor=fresh(people.district_chairman), nominations=[nomination])
    decision = decision_sign(actor=fresh(signer), nominations=[nomination])
    assert decision.issuer == issuer and decision.issuer.name in ("Huyện Mỏ Cày", "Xã Định Thủy mới")


def test_review_tier_that_disappears_sends_the_dossier_back_to_the_proposing_unit(people):
    membership_grant(user=people.other_clerk, unit=unit("BT.BATRI.ANNGAITRUNG"), role="unit_head")
    nomination = file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG")
    nomination_submit(actor=fresh(people.other_clerk), nomination=nomination)
    assert open_task_of(nomination).unit.code == "BT.BATRI"
    plan = {
        "code": "TEST-BATRI",
        "effective_on": timezone.localdate().isoformat(),
        "reason": "Không tổ chức cấp huyện",
        "operations": [{"kind": "dissolve", "unit": "BT.BATRI", "children_to": "BT"}],
    }
    report = reorganisation_apply(plan=plan, actor=people.admin)
    assert report["tasks_returned"] == [[nomination.pk, "review", "BT.BATRI", "BT.BATRI.ANNGAITRUNG"]]
    nomination.refresh_from_db()
    assert nomination.status == Status.RETURNED and nomination.route_units == []
    task = open_task_of(nomination)
    assert task.step == "revise" and task.unit.code == "BT.BATRI.ANNGAITRUNG"
    nomination_resubmit(actor=fresh(people.other_clerk), task_id=task.task_id)
    assert open_task_of(nomination).step == "appraise" and open_task_of(nomination).unit.code == "BT"


def test_history_of_a_person_whose_unit_was_recoded_stays_one(people):
    nomination = file_nomination(people.clerk, citizen_id="")
    nominee = nomination.nominee
    reorganisation_apply(plan=merge_plan(), actor=people.admin)
    again = file_nomination(fresh(people.clerk), unit_code="BT.MOCAY.DINHTHUY", award_code="giay_khen")
    # Each nomination keeps its own snapshot (Nominee); the registry record behind both is one person.
    assert again.nominee.person_id == nominee.person_id
    assert Person.objects.filter(full_name=nominee.full_name).count() == 1


def test_bad_plans_get_field_errors(people):
    with pytest.raises(ValidationError) as refused:
        reorganisation_preview(
            plan={
                "code": "",
                "effective_on": "1/7",
                "reason": "",
                "operations": [{"kind": "explode"}, {"kind": "merge", "from": ["NOPE"], "to": {"code": "X"}}],
            }
        )
    errors = refused.value.message_dict
    assert {"code", "effective_on", "reason", "operations.1", "operations.2.from", "operations.2.to"} <= set(
        errors
    )


def test_apply_before_the_effective_date_is_refused(people):
    plan = merge_plan(effective_on=(timezone.localdate() + timedelta(days=1)).isoformat())
    with pytest.raises(ValidationError):
        reorganisation_apply(plan=plan, actor=people.admin)
    assert not UnitSuccession.objects.exists()


def test_admin_preview_page_lists_then_applies(client, people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    client.force_login(people.admin)
    url = "/admin/workflows/reorganisation/preview/"
    plan = json.dumps(merge_plan())
    response = client.post(url, {"plan": plan, "preview": "1"})
    assert response.status_code == 200 and "BT.MOCAY" in response.content.decode()
    assert unit("BT.MCN").valid_to is None
    response = client.post(url, {"plan": plan, "apply": "1"})
    assert response.status_code == 200 and unit("BT.MCN").valid_to is not None
    assert open_task_of(nomination).unit.code == "BT.MOCAY"
    bad = client.post(url, {"plan": "{not json", "preview": "1"})
    assert bad.status_code == 200 and "JSON" in bad.content.decode()


def test_admin_preview_page_refuses_other_users(client, people):
    people.head.is_staff = True
    people.head.save()
    for user in (people.head, people.outsider):
        client.force_login(user)
        response = client.post(
            "/admin/workflows/reorganisation/preview/", {"plan": json.dumps(merge_plan()), "apply": "1"}
        )
        assert response.status_code in (302, 403)
    assert unit("BT.MCN").valid_to is None


def test_command_previews_by_default_and_applies_with_a_user(people, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(merge_plan()), encoding="utf-8")
    out = io.StringIO()
    call_command("reorganise", str(path), stdout=out)
    assert "BT.MOCAY" in out.getvalue() and unit("BT.MCN").valid_to is None
    with pytest.raises(CommandError):
        call_command("reorganise", str(path), "--apply", stdout=io.StringIO())
    call_command("reorganise", str(path), "--apply", "--user", "admin", stdout=io.StringIO())
    assert unit("BT.MCN").valid_to is not None
