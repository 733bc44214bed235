"""The permission policy: scoped grants only, owner permissions on every task, revocation at once, sensitive data."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.checks import run_checks
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from viewflow.workflow import flow
from viewflow.workflow.models import Task

from nominations.selectors import can_view_sensitive, get_nomination_for_user, nominations_visible_to
from organisation.models import Unit
from organisation.policy import SCOPED_PERMISSIONS, global_scoped_grants
from tests.factories import file_nomination
from workflows.flows import FLOWS
from workflows.selectors import inbox_count, inbox_for
from workflows.services import nomination_submit, open_task_of, review_forward, review_reject

UNIT_CODENAMES = {codename for codename, _ in Unit._meta.permissions}


def fresh(user):
    """The user as the next request sees them (no cached scope or permission caches)."""
    return get_user_model().objects.get(pk=user.pk)


def submitted(people, **kwargs):
    nomination = file_nomination(people.clerk, **kwargs)
    nomination_submit(actor=people.head, nomination=nomination)
    nomination.refresh_from_db()
    return nomination


# -- no global grants -------------------------------------------------------------------------------------------


def test_every_unit_permission_is_scoped():
    assert {("organisation", codename) for codename in UNIT_CODENAMES} <= SCOPED_PERMISSIONS
    assert ("nominations", "view_sensitive_nominee") in SCOPED_PERMISSIONS


def test_seeded_province_and_a_full_route_hold_no_global_scoped_grant(people):
    nomination = submitted(people)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    assert global_scoped_grants() == []
    assert [e for e in run_checks(databases=["default"]) if e.id == "organisation.E001"] == []


@pytest.mark.parametrize("codename", ["review_nomination", "sign_decision", "inspect_unit", "view_sensitive"])
def test_granting_a_scoped_permission_to_a_group_globally_is_refused(people, codename):
    permission = Permission.objects.get(content_type__app_label="organisation", codename=codename)
    group = Group.objects.create(name="reviewers-everywhere")
    with pytest.raises(PermissionDenied), transaction.atomic():
        group.permissions.add(permission)
    with pytest.raises(PermissionDenied), transaction.atomic():
        permission.group_set.add(group)
    assert not group.permissions.exists()


def test_granting_a_scoped_permission_to_a_user_globally_is_refused(people):
    permission = Permission.objects.get(content_type__app_label="organisation", codename="sign_decision")
    with pytest.raises(PermissionDenied), transaction.atomic():
        people.outsider.user_permissions.add(permission)
    with pytest.raises(PermissionDenied), transaction.atomic():
        permission.user_set.add(people.outsider)
    assert global_scoped_grants() == []


def test_unscoped_model_permission_may_still_be_granted_globally(people):
    permission = Permission.objects.get(content_type__app_label="nominations", codename="view_nomination")
    people.outsider.user_permissions.add(permission)
    assert global_scoped_grants() == []


def test_database_check_reports_a_global_grant_written_around_the_orm(people):
    permission = Permission.objects.get(content_type__app_label="organisation", codename="review_nomination")
    through = get_user_model().user_permissions.through
    through.objects.bulk_create([through(user=people.outsider, permission=permission)])  # no m2m signal
    assert global_scoped_grants() == ["user outsider: organisation.review_nomination"]
    errors = [e for e in run_checks(databases=["default"]) if e.id == "organisation.E001"]
    assert len(errors) == 1 and "outsider" in errors[0].msg


# -- every human task carries an owner permission on a unit -----------------------------------------------------


@pytest.mark.parametrize("flow_name", sorted(FLOWS))
def test_every_human_node_has_an_owner_permission_on_a_unit(flow_name):
    views = [node for node in FLOWS[flow_name].instance.nodes() if isinstance(node, flow.View)]
    assert views, "a flow without human steps?"
    for node in views:
        assert node._owner_permission, f"{flow_name}.{node.name} has no .Permission()"
        app_label, codename = node._owner_permission.split(".")
        assert (app_label, codename) in SCOPED_PERMISSIONS and codename in UNIT_CODENAMES, node.name
        assert callable(node._owner_permission_obj), f"{flow_name}.{node.name} has no obj= (a global task)"
        assert not node._owner_permission_auto_create


def test_created_human_tasks_store_their_unit(people):
    submitted(people)
    submitted(people, route="fast_track", award_code="giay_khen", full_name="Lê Thị Bình")
    human = Task.objects.filter(flow_task_type="HUMAN")
    assert human.count() >= 3
    for task in human:
        assert task.owner_permission.startswith("organisation.")
        assert task.owner_permission_content_type.model == "unit" and task.owner_permission_obj_pk


# -- revoking a role ends access at once ------------------------------------------------------------------------


def test_revoking_a_role_removes_access_at_once(people):
    nomination = submitted(people)
    reviewer = fresh(people.district_reviewer)
    assert nominations_visible_to(reviewer).filter(pk=nomination.pk).exists()
    assert [s.nomination_id for s in inbox_for(reviewer)] == [nomination.pk] and inbox_count(reviewer) == 1

    call_command("revoke_role", "district_reviewer", "reviewer", "BT.MCN", stdout=StringIO())

    reviewer = fresh(people.district_reviewer)
    assert not nominations_visible_to(reviewer).filter(pk=nomination.pk).exists()
    assert list(inbox_for(reviewer)) == [] and inbox_count(reviewer) == 0
    with pytest.raises(Http404):
        get_nomination_for_user(reviewer, nomination.pk)
    with pytest.raises(PermissionDenied):
        review_forward(actor=reviewer, task_id=open_task_of(nomination).task_id)

    call_command("grant_role", "district_reviewer", "reviewer", "BT.MCN", stdout=StringIO())
    reviewer = fresh(people.district_reviewer)
    assert inbox_count(reviewer) == 1
    review_forward(actor=reviewer, task_id=open_task_of(nomination).task_id)


def test_revoking_the_unit_head_stops_submission(people):
    nomination = file_nomination(people.clerk)
    call_command("revoke_role", "head", "unit_head", "BT.MCN.DINHTHUY", stdout=StringIO())
    with pytest.raises(PermissionDenied):
        nomination_submit(actor=fresh(people.head), nomination=nomination)


# -- scoping ----------------------------------------------------------------------------------------------------


def test_reviewer_sees_a_nomination_only_once_it_reaches_their_unit(people):
    nomination = file_nomination(people.clerk)
    assert not nominations_visible_to(fresh(people.district_reviewer)).filter(pk=nomination.pk).exists()
    assert not nominations_visible_to(fresh(people.province_reviewer)).filter(pk=nomination.pk).exists()
    nomination_submit(actor=people.head, nomination=nomination)
    assert nominations_visible_to(fresh(people.district_reviewer)).filter(pk=nomination.pk).exists()
    assert not nominations_visible_to(fresh(people.province_reviewer)).filter(pk=nomination.pk).exists()
    assert not nominations_visible_to(fresh(people.other_reviewer)).filter(pk=nomination.pk).exists()


def test_inspector_sees_their_subtree_including_closed_nominations(people):
    nomination = submitted(people)
    review_reject(
        actor=people.district_reviewer, task_id=open_task_of(nomination).task_id, reason="Thiếu minh chứng"
    )
    other_province = file_nomination(people.vl_clerk, unit_code="VL.DINHTHUY")
    inspector = fresh(people.inspector)
    visible = nominations_visible_to(inspector)
    assert visible.filter(pk=nomination.pk, status="rejected").exists()
    assert not visible.filter(pk=other_province.pk).exists()
    # Read-only: an inspector has no inbox and cannot act.
    assert inbox_count(inspector) == 0
    with pytest.raises(PermissionDenied):
        get_nomination_for_user(inspector, nomination.pk, perm="edit")


def test_outsider_and_other_unit_see_nothing(people):
    nomination = submitted(people)
    for user in (people.outsider, people.other_clerk, people.other_reviewer, people.vl_reviewer):
        assert not nominations_visible_to(fresh(user)).exists()
        with pytest.raises(Http404):
            get_nomination_for_user(fresh(user), nomination.pk)


# -- sensitive fields -------------------------------------------------------------------------------------------


def test_sensitive_fields_are_hidden_from_reviewers_and_shown_to_unit_and_inspector(client, people):
    nomination = submitted(people, citizen_id="083080001234")
    # A discipline record found after submission (filing with one is refused by the eligibility rules).
    nomination.nominee.discipline_status = "Khiển trách năm 2023"
    nomination.nominee.save()
    page = reverse("nominations:detail", args=[nomination.pk])
    for persona in ("clerk", "head", "inspector", "admin"):
        user = fresh(getattr(people, persona))
        assert can_view_sensitive(user, nomination), persona
        assert get_nomination_for_user(user, nomination.pk, perm="view_sensitive") == nomination
        client.force_login(user)
        body = client.get(page).content.decode()
        assert "083080001234" in body and "Khiển trách năm 2023" in body, persona
    reviewer = fresh(people.district_reviewer)
    assert not can_view_sensitive(reviewer, nomination)
    client.force_login(reviewer)
    body = client.get(page).content.decode()
    assert "Nguyễn Văn An" in body
    assert "083080001234" not in body and "Khiển trách năm 2023" not in body
    with pytest.raises(PermissionDenied):
        get_nomination_for_user(reviewer, nomination.pk, perm="view_sensitive")
    with pytest.raises(Http404):
        get_nomination_for_user(fresh(people.other_clerk), nomination.pk, perm="view_sensitive")


def test_database_check_reports_direct_unit_grants_and_membership_drift(people):
    from guardian.shortcuts import assign_perm

    from organisation.models import Membership
    from organisation.policy import direct_unit_grants, membership_drift

    assert direct_unit_grants() == [] and membership_drift() == []
    unit = Unit.objects.get(code="BT.BATRI")
    assign_perm(
        "organisation.review_nomination", people.outsider, unit
    )  # a user object grant, not via a role
    Membership.objects.filter(user=people.clerk).update(
        revoked_at="2026-01-01T00:00:00Z"
    )  # group left behind
    assert direct_unit_grants() == [f"user outsider: organisation.review_nomination on unit {unit.pk}"]
    assert membership_drift() == [
        "user clerk is in unit:BT.MCN.DINHTHUY:unit_clerk without an active membership"
    ]
    ids = sorted(e.id for e in run_checks(databases=["default"]) if e.id.startswith("organisation."))
    assert ids == ["organisation.E002", "organisation.E003"]


def test_inbox_page_returns_rows_and_the_same_total_as_inbox_count(people):
    from workflows.selectors import inbox_page

    for name in ("Nguyễn Văn An", "Lê Văn Bình", "Trần Văn Cường"):
        submitted(people, full_name=name)
    reviewer = fresh(people.district_reviewer)
    rows, total = inbox_page(reviewer, page_size=2)
    assert total == inbox_count(reviewer) == 3
    assert [r.pk for r in rows] == [r.pk for r in inbox_for(reviewer)[:2]]
    rows, total = inbox_page(reviewer, page_size=2, offset=2)
    assert len(rows) == 1 and total == 3
    assert inbox_page(reviewer, page_size=2, offset=4) == ([], 3)
    assert inbox_page(fresh(people.outsider)) == ([], 0)
    assert inbox_page(reviewer, step="appraise") == ([], 0)


def test_inbox_covers_every_role_a_user_holds(people):
    from organisation.models import Unit
    from organisation.services import membership_grant
    from workflows.selectors import inbox_page

    draft = file_nomination(people.clerk, full_name="Nguyễn Văn An")
    in_review = submitted(people, full_name="Lê Văn Bình")
    membership_grant(
        user=people.district_reviewer, unit=Unit.objects.get(code="BT.MCN.DINHTHUY"), role="unit_head"
    )
    user = fresh(people.district_reviewer)
    steps = {(row.nomination_id, row.step) for row in inbox_for(user)}
    assert steps == {(draft.pk, "submit"), (in_review.pk, "review")}
    assert inbox_count(user) == 2 and inbox_page(user)[1] == 2
    assert [row.nomination_id for row in inbox_for(user, step="submit")] == [draft.pk]
