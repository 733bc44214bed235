"""Working days on the Vietnamese public-holiday calendar (Tết is lunar), with configured exceptions."""

from datetime import date, timedelta
from functools import lru_cache

import holidays

from workflows.models import CalendarException


@lru_cache(maxsize=64)
def _public_holidays(year):
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _exceptions(start, end):
    return dict(
        CalendarException.objects.filter(day__range=(start, end)).values_list("day", "is_working_day")
    )


def is_working_day(day, exceptions=None):
    if exceptions is not None and day in exceptions:
        return exceptions[day]
    if day.weekday() >= 5:
        return False
    return day not in _public_holidays(day.year)


def add_working_days(start, days):
    """Return the date `days` working days after `start` (the start day itself does not count)."""
    if days <= 0:
        return start
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
