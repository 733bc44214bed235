"""The deadline engine: reminders before and on the due date, escalation once a task is overdue.

Every open task (TaskScope) has a due date in working days. Its schedule is a list of stages, each on a working day:
`before_N` for each offset in settings.REMINDER_OFFSETS (N working days before the due date), `due` on the due date,
and `overdue` on the first working day after it (escalation to the unit's leaders, task marked overdue).

A scan sends, per task, only the latest stage that has come and has not been sent: a beat that was down over a long
weekend does not flood people with stale "3 days left" mails. Each task is handled in its own transaction under a
row lock (`select_for_update(skip_locked=True)`): a concurrent beat skips the row, and the stage is written into
`TaskScope.reminders_sent` together with the notifications (unique `dedupe_key`) and the audit event, so a retry or
a second scan sends nothing new.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from organisation.models import Role
from workflows import notifications
from workflows.calendar import _exceptions, add_working_days, is_working_day, working_days_between
from workflows.models import TaskScope

logger = logging.getLogger(__name__)

DUE = "due"
OVERDUE = "overdue"
LEADER_ROLES = [Role.UNIT_HEAD, Role.APPROVER]


def reminder_offsets():
    return sorted({int(n) for n in getattr(settings, "REMINDER_OFFSETS", [3, 1]) if int(n) > 0}, reverse=True)


def working_day_before(day, days):
    """Return the working day `days` working days before `day`."""
    exceptions = _exceptions(day - timedelta(days=days * 3 + 30), day)
    current, counted = day, 0
    while counted < days:
        current -= timedelta(days=1)
        if is_working_day(current, exceptions):
            counted += 1
    return current


def next_working_day(day):
    return add_working_days(day, 1)


def schedule_for(due_on, offsets=None):
    """Return [(stage, date)] in date order for a task due on `due_on`."""
    offsets = reminder_offsets() if offsets is None else offsets
    stages = [(f"before_{n}", working_day_before(due_on, n)) for n in offsets]
    stages += [(DUE, due_on), (OVERDUE, next_working_day(due_on))]
    return sorted(stages, key=lambda item: item[1])


def pending_stage(row, today, stages=None):
    """Return the stage the task should be told about today, or None if it is already sent or not yet due."""
    if row.due_on is None or not row.is_open:
        return None
    opened_on = timezone.localdate(row.created)
    sent = set(row.reminders_sent or [])
    stages = stages if stages is not None else schedule_for(row.due_on)
    reached = [(stage, day) for stage, day in stages if day <= today]
    if not reached:
        return None
    stage, day = reached[-1]
    if stage in sent:
        return None
    # A reminder dated before the task opened is meaningless ("3 days left" for a task given 2); escalation is not.
    if stage != OVERDUE and day < opened_on:
        return None
    return stage


def escalation_recipients(row, assignees):
    """The unit's head (or the approver who leads it); failing that, the leaders of the nearest unit above."""
    assignee_ids = {u.pk for u in assignees}
    for unit in row.unit.lineage():
        leaders = [
            u for u in notifications.users_holding("", unit, roles=LEADER_ROLES) if u.pk not in assignee_ids
        ]
        if leaders:
            return unit, leaders
    return None, []


def _texts(row, stage, today):
    nomination = row.nomination
    nominee = nomination.nominee.full_name
    due = row.due_on.strftime("%d/%m/%Y")
    if stage == OVERDUE:
        days = max(1, working_days_between(row.due_on, today))
        title = _("Quá hạn xử lý: %(nominee)s") % {"nominee": nominee}
        body = _(
            "Đề nghị “%(award)s” cho %(nominee)s tại %(unit)s đã quá hạn %(days)s ngày làm việc (hạn %(due)s)."
        ) % {
            "award": nomination.award_type.name,
            "nominee": nominee,
            "unit": row.unit.name,
            "days": days,
            "due": due,
        }
        return title, body
    if stage == DUE:
        title = _("Hôm nay đến hạn xử lý: %(nominee)s") % {"nominee": nominee}
        body = _("Đề nghị “%(award)s” cho %(nominee)s phải được xử lý trong hôm nay (%(due)s).") % {
            "award": nomination.award_type.name,
            "nominee": nominee,
            "due": due,
        }
        return title, body
    days = int(stage.split("_", 1)[1])
    title = _("Nhắc hạn xử lý: còn %(days)s ngày làm việc – %(nominee)s") % {"days": days, "nominee": nominee}
    body = _("Đề nghị “%(award)s” cho %(nominee)s đang chờ %(unit)s xử lý, hạn %(due)s.") % {
        "award": nomination.award_type.name,
        "nominee": nominee,
        "unit": row.unit.name,
        "due": due,
    }
    return title, body


def task_remind(task_id, today=None):
    """Send the pending stage of one task, once. Return the stage sent, or None."""
    today = today or timezone.localdate()
    with transaction.atomic():
        row = TaskScope.objects.select_for_update(skip_locked=True).filter(pk=task_id, is_open=True).first()
        if row is None:  # closed meanwhile, or another scan holds it and will handle it
            return None
        stage = pending_stage(row, today)
        if stage is None:
            return None
        assignees = notifications.users_holding(row.permission, row.unit)
        dedupe = f"task:{row.pk}:{stage}"
        title, body = _texts(row, stage, today)
        data = {"stage": stage, "due_on": row.due_on.isoformat(), "step": row.step, "on": today.isoformat()}
        if stage == OVERDUE:
            unit, leaders = escalation_recipients(row, assignees)
            notifications.notify(
                users=leaders,
                kind=notifications.Kind.ESCALATION,
                title=title,
                body=body,
                nomination=row.nomination,
                dedupe=dedupe,
            )
            # The people who hold the task hear that it is overdue too.
            notifications.notify(
                users=assignees,
                kind=notifications.Kind.REMINDER,
                title=title,
                body=body,
                nomination=row.nomination,
                dedupe=dedupe,
            )
            row.is_overdue = True
            row.escalated_at = timezone.now()
            data.update(
                {"escalated_to": [u.username for u in leaders], "escalated_unit": unit.code if unit else None}
            )
            action = "task.escalate"
        else:
            notifications.notify(
                users=assignees,
                kind=notifications.Kind.REMINDER,
                title=title,
                body=body,
                nomination=row.nomination,
                dedupe=dedupe,
            )
            action = "task.remind"
        data["recipients"] = [u.username for u in assignees]
        row.reminders_sent = [*(row.reminders_sent or []), stage]
        row.save(update_fields=["reminders_sent", "is_overdue", "escalated_at"])
        event_record(
            action=action,
            object_type="viewflow.task",
            object_id=str(row.pk),
            nomination_id=row.nomination_id,
            unit_code=row.unit.code,
            data=data,
        )
    return stage


def deadlines_scan(today=None):
    """Run one scan over the open tasks that have a stage by today; return {stage: count}."""
    today = today or timezone.localdate()
    offsets = reminder_offsets()
    horizon = add_working_days(today, (offsets[0] if offsets else 0) + 1)
    rows = (
        TaskScope.objects.filter(
            is_open=True, due_on__isnull=False, due_on__lte=horizon, escalated_at__isnull=True
        )
        .only("pk", "due_on", "created", "reminders_sent", "is_open")
        .order_by("due_on", "pk")
    )
    schedules, sent = {}, {}
    for row in list(rows):
        # Decide without a lock first (one schedule per due date), lock only the rows with something to send.
        if row.due_on not in schedules:
            schedules[row.due_on] = schedule_for(row.due_on)
        if pending_stage(row, today, schedules[row.due_on]) is None:
            continue
        stage = task_remind(row.pk, today)
        if stage:
            sent[stage] = sent.get(stage, 0) + 1
    if sent:
        logger.info("Deadline scan %s: %s", today.isoformat(), sent)
    return sent
