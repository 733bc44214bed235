"""The deadline engine under time travel: which reminders fire on which dates, across weekends and Tết 2027."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from audit.models import Event
from tests.factories import file_nomination
from workflows import reminders
from workflows.calendar import holiday_name
from workflows.models import CalendarException, Notification, TaskScope
from workflows.services import nomination_submit, open_task_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour=9):
    return datetime(day.year, day.month, day.day, hour, tzinfo=VN)


def days(start, end):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def review_task_opened_on(people, day):
    """File and submit on `day`: a review task at the district (10 working days) opens that day."""
    with time_machine.travel(at(day), tick=False):
        nomination = file_nomination(people.clerk)
        nomination_submit(actor=people.head, nomination=nomination)
    scope = open_task_of(nomination)
    assert scope.step == "review" and scope.unit.code == "BT.MCN"
    return scope


def scan_every_day(start, end, hour=9):
    """Run the beat's scan once a day (twice, to prove the second finds nothing); return {date: stages}."""
    fired = {}
    for day in days(start, end):
        with time_machine.travel(at(day, hour), tick=False):
            sent = reminders.deadlines_scan()
            assert reminders.deadlines_scan() == {}, f"second scan on {day} sent again"
        if sent:
            fired[day] = sorted(sent)
    return fired


def test_holidays_library_knows_tet_2027():
    assert holiday_name(date(2027, 2, 6)) == "Tết Nguyên Đán"
    assert all(holiday_name(date(2027, 2, d)) for d in range(4, 11))


def test_schedule_around_tet_2027(people, settings):
    settings.REMINDER_OFFSETS = [3, 1]
    scope = review_task_opened_on(people, date(2027, 1, 20))
    # 10 working days from Wed 20/01 end on Wed 03/02, the last working day before the Tết break (04–10/02).
    assert scope.due_on == date(2027, 2, 3)

    fired = scan_every_day(date(2027, 1, 20), date(2027, 2, 15))

    assert fired == {
        date(2027, 1, 29): ["before_3"],  # Fri: Mon 01, Tue 02, Wed 03 are the 3 working days left
        date(2027, 2, 2): ["before_1"],
        date(2027, 2, 3): ["due"],
        date(2027, 2, 11): ["overdue"],  # Thu: the first working day after Tết, not Thu 04/02
    }
    scope.refresh_from_db()
    assert scope.is_overdue and scope.escalated_at is not None
    assert scope.reminders_sent == ["before_3", "before_1", "due", "overdue"]

    reviewer_kinds = list(
        Notification.objects.filter(user=people.district_reviewer, kind__in=["reminder"])
        .order_by("created_at", "pk")
        .values_list("title", flat=True)
    )
    assert len(reviewer_kinds) == 4 and reviewer_kinds[-1].startswith("Quá hạn xử lý")
    # Escalation reaches the district's leader (its approver), never the reviewer who holds the task.
    escalations = Notification.objects.filter(kind="escalation")
    assert [n.user.username for n in escalations] == ["district_chairman"]
    assert "quá hạn 1 ngày làm việc" in escalations[0].body

    events = Event.objects.filter(
        nomination_id=scope.nomination_id, action__in=["task.remind", "task.escalate"]
    )
    assert [(e.action, e.data["stage"]) for e in events.order_by("seq")] == [
        ("task.remind", "before_3"),
        ("task.remind", "before_1"),
        ("task.remind", "due"),
        ("task.escalate", "overdue"),
    ]
    assert events.get(action="task.escalate").data["escalated_to"] == ["district_chairman"]


def test_weekend_scans_send_nothing_and_monday_due_date_reminds_on_friday(people, settings):
    settings.REMINDER_OFFSETS = [1]
    scope = review_task_opened_on(people, date(2026, 12, 14))  # Mon
    TaskScope.objects.filter(pk=scope.pk).update(due_on=date(2026, 12, 21))  # Mon
    fired = scan_every_day(date(2026, 12, 14), date(2026, 12, 23))
    assert fired == {
        date(2026, 12, 18): ["before_1"],
        date(2026, 12, 21): ["due"],
        date(2026, 12, 22): ["overdue"],
    }


def test_make_up_working_saturday_counts(people, settings):
    settings.REMINDER_OFFSETS = [1]
    scope = review_task_opened_on(people, date(2026, 12, 14))
    TaskScope.objects.filter(pk=scope.pk).update(due_on=date(2026, 12, 21))
    CalendarException.objects.create(day=date(2026, 12, 19), is_working_day=True, note="Làm bù")
    fired = scan_every_day(date(2026, 12, 14), date(2026, 12, 21))
    assert fired == {date(2026, 12, 19): ["before_1"], date(2026, 12, 21): ["due"]}


def test_a_beat_that_was_down_sends_only_the_latest_stage(people):
    scope = review_task_opened_on(people, date(2027, 1, 20))
    with time_machine.travel(at(date(2027, 2, 3)), tick=False):
        assert reminders.deadlines_scan() == {"due": 1}
    scope.refresh_from_db()
    assert scope.reminders_sent == ["due"]
    assert Notification.objects.filter(kind="reminder").count() == 1


def test_no_reminder_dated_before_the_task_opened(people):
    scope = review_task_opened_on(people, date(2027, 1, 20))
    TaskScope.objects.filter(pk=scope.pk).update(due_on=date(2027, 1, 21))  # given one working day
    fired = scan_every_day(date(2027, 1, 20), date(2027, 1, 22))
    # before_3 (15/01) predates the task; before_1 falls on the opening day itself.
    assert fired == {
        date(2027, 1, 20): ["before_1"],
        date(2027, 1, 21): ["due"],
        date(2027, 1, 22): ["overdue"],
    }


def test_closed_task_gets_nothing(people):
    scope = review_task_opened_on(people, date(2027, 1, 20))
    TaskScope.objects.filter(pk=scope.pk).update(is_open=False)
    assert scan_every_day(date(2027, 1, 20), date(2027, 2, 15)) == {}


def test_submit_step_escalates_to_the_district_leader(people):
    """The commune head holds the submit task, so escalation goes up to the district's leader."""
    with time_machine.travel(at(date(2027, 1, 20)), tick=False):
        nomination = file_nomination(people.clerk)
    scope = open_task_of(nomination)
    assert scope.step == "submit"
    with time_machine.travel(at(reminders.next_working_day(scope.due_on)), tick=False):
        reminders.deadlines_scan()
    assert list(Notification.objects.filter(kind="escalation").values_list("user__username", flat=True)) == [
        "district_chairman"
    ]
    assert Notification.objects.filter(kind="reminder", user=people.head).exists()


def test_repeated_run_of_one_task_is_idempotent(people):
    scope = review_task_opened_on(people, date(2027, 1, 20))
    TaskScope.objects.filter(pk=scope.pk).update(reminders_sent=[])
    day = date(2027, 2, 2)
    assert reminders.task_remind(scope.pk, day) == "before_1"
    assert reminders.task_remind(scope.pk, day) is None
    # Even if the stage list were lost, the unique dedupe key refuses a second notification.
    TaskScope.objects.filter(pk=scope.pk).update(reminders_sent=[])
    before = Notification.objects.count()
    reminders.task_remind(scope.pk, day)
    assert Notification.objects.count() == before


def test_fire_deadlines_command(people, capsys):
    scope = review_task_opened_on(people, date(2027, 1, 20))
    with time_machine.travel(at(scope.due_on), tick=False):
        call_command("fire_deadlines")
        call_command("fire_deadlines")
    out = capsys.readouterr().out
    assert "due: 1" in out and out.count("không có") == 1
    assert Event.objects.get(action="task.remind", nomination_id=scope.nomination_id).channel == "cli"


def test_beat_task_runs_scan_and_viewflow_timers(people):
    from workflows.tasks import deadlines_scan

    scope = review_task_opened_on(people, date(2027, 1, 20))
    with time_machine.travel(at(scope.due_on), tick=False):
        result = deadlines_scan.delay().get()
    assert result == {"sent": {"due": 1}, "timers": 0}
    assert Event.objects.get(action="task.remind", nomination_id=scope.nomination_id).channel == "worker"


@pytest.mark.postgres
def test_concurrent_scans_send_each_reminder_once(tpeople):
    import threading

    from django.db import connection

    scope = review_task_opened_on(tpeople, date(2027, 1, 20))
    results, barrier = [], threading.Barrier(4)

    def scan():
        try:
            barrier.wait()
            with time_machine.travel(at(date(2027, 2, 3)), tick=False):
                results.append(reminders.deadlines_scan())
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.get("due", 0) for r in results) == 1
    assert Notification.objects.filter(dedupe_key__startswith=f"task:{scope.pk}:due").count() == 1
    assert Event.objects.filter(action="task.remind", nomination_id=scope.nomination_id).count() == 1


def test_beat_fires_the_posting_window_timer_after_it_closes(people):
    """The public posting window is a viewflow DB-backed Timer; only our beat task fires it."""
    from nominations.models import Status
    from workflows.services import appraisal_approve, review_forward
    from workflows.tasks import deadlines_scan

    with time_machine.travel(at(date(2027, 3, 1)), tick=False):
        nomination = file_nomination(
            people.clerk,
            award_code="co_thi_dua_tinh",
            kind="collective",
            full_name="Ủy ban nhân dân xã Định Thủy",
        )
        nomination_submit(actor=people.head, nomination=nomination)
        review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
        appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    nomination.refresh_from_db()
    assert nomination.status == Status.POSTING and open_task_of(nomination) is None
    closes_on = nomination.due_on
    assert closes_on == date(2027, 3, 15)  # 10 working days after Mon 01/03

    with time_machine.travel(at(closes_on, 23), tick=False):
        assert deadlines_scan.delay().get()["timers"] == 0  # still inside the window
    with time_machine.travel(at(closes_on + timedelta(days=1), 0) + timedelta(minutes=1), tick=False):
        assert deadlines_scan.delay().get()["timers"] == 1
        assert deadlines_scan.delay().get()["timers"] == 0
    nomination.refresh_from_db()
    assert nomination.status == Status.COUNCIL and open_task_of(nomination).step == "tally_vote"


def test_reminders_of_a_done_task_are_resolved_with_it(people, settings):
    from workflows.services import review_forward

    settings.REMINDER_OFFSETS = [3, 1]
    scope = review_task_opened_on(people, date(2026, 10, 1))
    with time_machine.travel(at(scope.due_on), tick=False):
        reminders.deadlines_scan()
    reminded = Notification.objects.filter(kind="reminder", nomination=scope.nomination)
    assert reminded.exists() and reminded.filter(read_at__isnull=True).count() == reminded.count()
    with time_machine.travel(at(date(2026, 10, 1)), tick=False):
        second = file_nomination(people.clerk, full_name="Trần Văn Khác")
        nomination_submit(actor=people.head, nomination=second)
    other = open_task_of(second)
    with time_machine.travel(at(other.due_on), tick=False):
        reminders.deadlines_scan()

    review_forward(actor=people.district_reviewer, task_id=scope.task_id)

    assert not reminded.filter(read_at__isnull=True).exists()
    assert not Notification.objects.filter(
        kind="task_opened", dedupe_key__startswith=f"task:{scope.task_id}:", read_at__isnull=True
    ).exists()
    # Another task's reminders stay unread; the task event counts what it resolved.
    assert Notification.objects.filter(
        kind="reminder", nomination=other.nomination, read_at__isnull=True
    ).exists()
    event = Event.objects.filter(action="task.forward", nomination_id=scope.nomination_id).get()
    assert event.data["notifications_resolved"] >= reminded.count()
