"""Fill a database of the PREVIOUS main (a01dc55) the way its users would: run inside that commit's tree.

Not importable here: it names that tree's modules (`approvals.models.Unit`, `approvals.models.Council`). The
upgrade test copies it into an extracted tree of the previous main and runs it there, after `migrate` and
`seed_demo`. It leaves, and prints as JSON for the test:

- a Bằng khen on the plain route, reviewed, appraised and signed;
- a Cờ thi đua on the long route: posted publicly (with a citizen's feedback, answered), voted by the council,
  signed; the posting window is lived through with time-machine, weeks in the past, so every later event is
  later in time too;
- a nomination in flight: submitted, its district review task open with the old owner permission
  "approvals.review_nomination".
"""

import json
import os
from datetime import datetime, time, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import time_machine  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402
from viewflow.workflow.timers import fire_due_timers  # noqa: E402

from approvals.models import Decision, Posting  # noqa: E402
from approvals.services import feedback_answer, feedback_receive  # noqa: E402
from audit.context import origin  # noqa: E402
from nominations.models import Status  # noqa: E402
from tests.factories import file_nomination  # noqa: E402
from workflows.calendar import add_working_days, is_working_day  # noqa: E402
from workflows.services import (  # noqa: E402
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
    vote_record,
)


def at_nine(day):
    return timezone.make_aware(datetime.combine(day, time(9)))


def working_day_weeks_ago(weeks):
    day = timezone.localdate() - timedelta(weeks=weeks)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def main():
    people = {user.username: user for user in get_user_model().objects.all()}
    signed = []

    start = working_day_weeks_ago(8)
    with time_machine.travel(at_nine(start), tick=False):
        flag = file_nomination(
            people["clerk"], award_code="co_thi_dua_tinh", kind="collective", full_name="UBND xã Định Thủy"
        )
        nomination_submit(actor=people["head"], nomination=flag)
        review_forward(actor=people["district_reviewer"], task_id=open_task_of(flag).task_id)
        appraisal_approve(actor=people["province_reviewer"], task_id=open_task_of(flag).task_id)
        flag.refresh_from_db()
        assert flag.status == Status.POSTING, flag.status
        posting = Posting.objects.get(nomination=flag)
        feedback = feedback_receive(
            posting=posting, sender_name="Lê Văn Ba", content="Xin làm rõ thành tích năm trước."
        )
    with time_machine.travel(at_nine(add_working_days(posting.closes_on, 1)), tick=False):
        fire_due_timers()
        scope = open_task_of(flag)
        assert scope is not None and scope.step == "tally_vote", scope and scope.step
        feedback_answer(feedback=feedback, actor=people["province_reviewer"], answer="Đã xác minh.")
        vote = vote_record(
            actor=people["secretary"],
            task_id=scope.task_id,
            members_total=15,
            members_present=14,
            votes_for=13,
            votes_against=1,
        )
        assert vote.passed
        signed.append(decision_sign(actor=people["chairman"], nominations=[flag]).pk)

    merit = file_nomination(people["clerk"], full_name="Nguyễn Văn An")
    nomination_submit(actor=people["head"], nomination=merit)
    review_forward(actor=people["district_reviewer"], task_id=open_task_of(merit).task_id)
    appraisal_approve(actor=people["province_reviewer"], task_id=open_task_of(merit).task_id)
    signed.append(decision_sign(actor=people["chairman"], nominations=[merit]).pk)

    in_flight = file_nomination(people["clerk"], full_name="Trần Văn Bình")
    nomination_submit(actor=people["head"], nomination=in_flight)
    scope = open_task_of(in_flight)
    assert scope.step == "review", scope.step

    for nomination in (flag, merit):
        nomination.refresh_from_db()
        assert nomination.status == Status.AWARDED, (nomination.pk, nomination.status)
    assert Decision.objects.filter(pk__in=signed, certificates__isnull=False).distinct().count() == len(
        signed
    )
    return {
        "signed_decisions": signed,
        "awarded": [flag.pk, merit.pk],
        "in_flight": in_flight.pk,
        "in_flight_task": scope.task_id,
    }


if __name__ == "__main__":
    with origin("cli"):
        print("UPGRADE-STORY " + json.dumps(main()))
