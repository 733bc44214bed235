"""Working days on the Vietnamese public-holiday calendar (Tết is lunar), with configured exceptions.

A day is a working day when a CalendarException says so (the yearly government notice: bridged days off and the
make-up Saturdays that pay for them, loaded with `calendar_load`); otherwise when the `holidays` library lists it as
a make-up working day, or it is a weekday that is not a public holiday.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

from workflows.models import CalendarException


@lru_cache(maxsize=64)
def _public_holidays(year):
    return frozenset(holidays.country_holidays("VN", years=year).keys())


@lru_cache(maxsize=64)
def _make_up_saturdays(year):
    # The library lists the bridged day off among the holidays, so it must also count the Saturday that pays for it.
    return frozenset(holidays.country_holidays("VN", years=year).weekend_workdays)


def _exceptions(start, end):
    return dict(
        CalendarException.objects.filter(day__range=(start, end)).values_list("day", "is_working_day")
    )


def is_working_day(day, exceptions=None):
    """Say whether `day` is a working day; `exceptions` ({day: is_working_day}) saves a query per day in loops."""
    if exceptions is None:
        exceptions = _exceptions(day, day)
    if day in exceptions:
        return exceptions[day]
    if day.weekday() >= 5:
        return day in _make_up_saturdays(day.year)
    return day not in _public_holidays(day.year)


def add_working_days(start, days, exceptions=None):
    """Return the date `days` working days after `start` (the start day itself does not count); `exceptions`
    ({day: is_working_day}, e.g. the deadline cache's) saves the query."""
    if days <= 0:
        return start
    if exceptions is None:
        exceptions = _exceptions(start, start + timedelta(days=days * 3 + 30))
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current, exceptions):
            counted += 1
    return current


def working_days_between(start, end):
    """Count working days after `start` up to and including `end` (negative when end is before start)."""
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    exceptions = _exceptions(start, end)
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, exceptions):
            count += 1
    return sign * count


def holiday_name(day: date):
    names = holidays.country_holidays("VN", years=day.year, language="vi")
    return names.get(day)
