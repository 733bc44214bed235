"""Due dates of steps, in working days.

Every new human task asks for a due date, so the deadline rules and calendar exceptions (two small admin-edited
tables) are read once and kept in memory for CACHE_SECONDS: saving or deleting a row clears the cache in this
process at once (signals below); other processes see the change within CACHE_SECONDS.
"""

import time

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from nominations.models import Route
from nominations.process import Step
from workflows.calendar import add_working_days
from workflows.models import CalendarException, DeadlineRule

DEFAULT_WORKING_DAYS = {
    Route.STANDARD: {
        Step.SUBMIT: 10,
        Step.REVIEW: 10,
        Step.REVISE: 10,
        Step.APPRAISE: 20,
        Step.TALLY_VOTE: 15,
        Step.SIGN: 10,
    },
    Route.FAST_TRACK: {Step.SUBMIT: 2, Step.APPRAISE: 3, Step.REVISE: 2, Step.SIGN: 2},
    Route.DONG_KHOI: {Step.SUBMIT: 10, Step.APPRAISE: 15, Step.REVISE: 5, Step.TALLY_VOTE: 10, Step.SIGN: 10},
}
CACHE_SECONDS = 60
_cache = {}


def _cached(key, load):
    entry = _cache.get(key)
    now = time.monotonic()
    if entry is None or entry[0] <= now:
        entry = _cache[key] = (now + CACHE_SECONDS, load())
    return entry[1]


def cache_clear(**kwargs):
    _cache.clear()


for _model in (DeadlineRule, CalendarException):
    post_save.connect(cache_clear, sender=_model, dispatch_uid=f"deadlines_cache_{_model.__name__}_save")
    post_delete.connect(cache_clear, sender=_model, dispatch_uid=f"deadlines_cache_{_model.__name__}_delete")


def _rules():
    return _cached(
        "rules",
        lambda: {(r, s): d for r, s, d in DeadlineRule.objects.values_list("route", "step", "working_days")},
    )


def _exceptions():
    return _cached("exceptions", lambda: dict(CalendarException.objects.values_list("day", "is_working_day")))


def working_days_for(route, step):
    rule = _rules().get((route, step))
    if rule is not None:
        return rule
    return DEFAULT_WORKING_DAYS.get(route, {}).get(step)


def due_date(route, step, start=None):
    """Return the due date of `step` on `route` counted from `start` (today), with the cached exceptions."""
    days = working_days_for(route, step)
    if days is None:
        return None
    start = start or timezone.localdate()
    exceptions = _exceptions()
    # A batch step asks the same (start, days) for each of its tasks: counted once per version of the exceptions.
    counted, dates = _cache.get("due_dates", (None, None))
    if counted is not exceptions:
        dates = {}
        _cache["due_dates"] = (exceptions, dates)
    if (start, days) not in dates:
        dates[start, days] = add_working_days(start, days, exceptions)
    return dates[start, days]
