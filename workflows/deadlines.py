"""Due dates of steps, in working days."""

from django.utils import timezone

from workflows.calendar import add_working_days
from workflows.models import DeadlineRule

DEFAULT_WORKING_DAYS = {
    "standard": {"submit": 10, "review": 10, "revise": 10, "appraise": 20, "tally_vote": 15, "sign": 10},
    "fast_track": {"submit": 2, "appraise": 3, "revise": 2, "sign": 2},
    "dong_khoi": {"submit": 10, "appraise": 15, "revise": 5, "tally_vote": 10, "sign": 10},
}


def working_days_for(route, step):
    rule = DeadlineRule.objects.filter(route=route, step=step).values_list("working_days", flat=True).first()
    if rule is not None:
        return rule
    return DEFAULT_WORKING_DAYS.get(route, {}).get(step)


def due_date(route, step, start=None):
    days = working_days_for(route, step)
    if days is None:
        return None
    return add_working_days(start or timezone.localdate(), days)
