"""After the upgrade, move the in-flight nomination one step and grant a role with this tree's services; print
what was seen.

Run by the upgrade test in this tree (`python -m tests.upgrade.advance_upgraded <nomination id> <task id>`) on the
database the previous main filled and this main migrated.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from viewflow.workflow.models import Task  # noqa: E402

from audit.context import origin  # noqa: E402
from nominations.models import AwardHistory, Nomination, Nominee  # noqa: E402
from organisation.models import Role, Unit  # noqa: E402
from organisation.policy import scope_of  # noqa: E402
from organisation.services import membership_grant  # noqa: E402
from workflows.selectors import inbox_for  # noqa: E402
from workflows.services import open_task_of, review_forward  # noqa: E402


def main(nomination_id, task_id):
    users = get_user_model().objects
    reviewer = users.get(username="district_reviewer")
    district = Unit.objects.get(code="BT.MCN")
    task = Task.objects.get(pk=task_id)
    task.process = task.coerced_process  # the flow's permission object is read off the NominationProcess
    seen = {
        "review_units": sorted(scope_of(reviewer).units("review_nomination")),
        "district_id": district.pk,
        "reviewer_has_perm": reviewer.has_perm("organisation.review_nomination", district),
        "owner_permission_before": task.owner_permission,
        "reviewer_can_assign": task.flow_task.can_assign(reviewer, task),
        "in_reviewer_inbox": [scope.task_id for scope in inbox_for(reviewer)],
        # The registry was filled from the nominees: each nomination has its own snapshot, linked to a record.
        "nominations": Nomination.objects.count(),
        "snapshots": Nomination.objects.values("nominee_id").distinct().count(),
        "unlinked_snapshots": Nominee.objects.filter(person__isnull=True, collective__isnull=True).count(),
        "unlinked_history": AwardHistory.objects.filter(person__isnull=True, collective__isnull=True).count(),
    }
    with origin("cli"):
        review_forward(actor=reviewer, task_id=task_id)
    nomination = Nomination.objects.select_related("current_unit").get(pk=nomination_id)
    after = open_task_of(nomination)
    seen |= {
        "status_after": nomination.status,
        "current_unit_after": nomination.current_unit.code,
        "next_step": after.step if after else None,
        "next_owner_permission": Task.objects.get(pk=after.task_id).owner_permission if after else None,
        "in_province_inbox": [scope.task_id for scope in inbox_for(users.get(username="province_reviewer"))],
        "next_task": after.task_id if after else None,
    }
    # A new reviewer joins the unit-role group the previous main made, and its grants (written then) apply.
    groups_before = Group.objects.count()
    newcomer = users.create_user(username="upgrade_reviewer")
    with origin("cli"):
        membership_grant(user=newcomer, unit=district, role=Role.REVIEWER)
    seen |= {
        "newcomer_review_units": sorted(scope_of(newcomer).units("review_nomination")),
        "groups_added": Group.objects.count() - groups_before,
    }
    return seen


if __name__ == "__main__":
    print("UPGRADE-ADVANCE " + json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
