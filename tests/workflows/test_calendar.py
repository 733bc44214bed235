"""The working-day calendar: the yearly notice's bridged days off and make-up Saturdays, and `calendar_load`."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from audit.models import Event
from nominations.models import Route
from nominations.process import Step
from tests.admin_support import signed_in_admin
from workflows import deadlines
from workflows.calendar import add_working_days, is_working_day, working_days_between
from workflows.models import CalendarException

pytestmark = pytest.mark.django_db

HEADER = "date,kind,reason,source\n"


def test_ten_working_days_from_22_april_2025_end_on_8_may():
    # Wed–Fri 23–25/4, make-up Sat 26/4, Mon–Tue 28–29/4, (30/4, 1/5, bridged Fri 2/5 off), Mon–Thu 5–8/5.
    assert add_working_days(date(2025, 4, 22), 10) == date(2025, 5, 8)
    assert deadlines.due_date(Route.STANDARD, Step.REVIEW, start=date(2025, 4, 22)) == date(2025, 5, 8)


def test_make_up_saturday_counts_and_bridged_friday_does_not():
    assert is_working_day(date(2025, 4, 26))
    assert not is_working_day(date(2025, 5, 2))
    assert working_days_between(date(2025, 4, 25), date(2025, 5, 5)) == 4  # Sat 26, Mon 28, Tue 29, Mon 5
    assert (
        working_days_between(date(2025, 4, 29), date(2025, 5, 5)) == 1
    )  # 30/4, 1/5 and the bridged 2/5 are off


def test_2025_and_2026_notices_are_seeded_with_their_source():
    rows = {row.day: row for row in CalendarException.objects.filter(day__year__in=[2025, 2026])}
    assert rows[date(2025, 4, 26)].is_working_day and not rows[date(2025, 5, 2)].is_working_day
    assert "6150/TB-LĐTBXH" in rows[date(2025, 4, 26)].source
    assert rows[date(2026, 8, 22)].is_working_day and not rows[date(2026, 8, 31)].is_working_day
    assert "9441/TB-BNV" in rows[date(2026, 8, 22)].source
    assert all(row.source for row in rows.values())


def test_an_exception_overrides_the_library_and_clears_the_deadline_cache():
    start = date(2025, 4, 22)
    assert deadlines.due_date(Route.STANDARD, Step.REVIEW, start=start) == date(2025, 5, 8)
    CalendarException.objects.filter(day=date(2025, 4, 26)).update(
        is_working_day=False
    )  # no signal: clear by hand
    deadlines.cache_clear()
    assert add_working_days(start, 10) == date(2025, 5, 9)
    row = CalendarException.objects.get(day=date(2025, 4, 26))
    row.is_working_day = True
    row.save()  # the save signal clears the cache
    assert deadlines.due_date(Route.STANDARD, Step.REVIEW, start=start) == date(2025, 5, 8)


def test_calendar_load_reads_csv_and_is_idempotent(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(
        HEADER
        + "2027-04-24,working_day,Làm bù cho thứ Hai 03/05/2027,Thông báo thử 1/TB\n"
        + "03/05/2027,day_off,Nghỉ hoán đổi,Thông báo thử 1/TB\n",
        encoding="utf-8",
    )
    call_command("calendar_load", "2027", str(path))
    assert is_working_day(date(2027, 4, 24)) and not is_working_day(date(2027, 5, 3))
    added = Event.objects.filter(action="calendar.exception_add", object_type="workflows.calendarexception")
    assert added.count() == 2
    assert added.first().data["changes"]["source"] == [None, "Thông báo thử 1/TB"]

    call_command("calendar_load", "2027", str(path))
    assert CalendarException.objects.filter(day__year=2027).count() == 2
    assert Event.objects.filter(action__startswith="calendar.").count() == 2

    path.write_text(HEADER + "2027-04-24,working_day,Làm bù,Thông báo thử 2/TB\n", encoding="utf-8")
    call_command("calendar_load", "2027", str(path))
    changed = Event.objects.get(action="calendar.exception_change")
    assert changed.data["changes"]["source"] == ["Thông báo thử 1/TB", "Thông báo thử 2/TB"]


def test_calendar_load_reads_json(tmp_path):
    path = tmp_path / "2027.json"
    rows = [{"date": "2027-04-24", "kind": "working_day", "reason": "Làm bù", "source": "Thông báo thử 1/TB"}]
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    call_command("calendar_load", "2027", str(path))
    assert CalendarException.objects.get(day=date(2027, 4, 24)).note == "Làm bù"


def test_calendar_load_refuses_a_bad_file_and_writes_nothing(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(
        HEADER
        + "2027-04-24,working_day,Làm bù,Thông báo thử 1/TB\n"
        + "2026-05-03,day_off,Năm khác,Thông báo thử 1/TB\n"
        + "2027-05-04,holiday,Loại sai,Thông báo thử 1/TB\n"
        + "2027-13-40,day_off,Ngày sai,Thông báo thử 1/TB\n"
        + "2027-05-05,day_off,Không căn cứ,\n",
        encoding="utf-8",
    )
    before = Event.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("calendar_load", "2027", str(path))
    message = str(refused.value)
    assert refused.value.returncode == 1
    for number in (2, 3, 4, 5):
        assert f"Dòng {number}:" in message
    assert "Dòng 1:" not in message
    assert not CalendarException.objects.filter(day__year=2027).exists()
    assert Event.objects.count() == before


def test_calendar_load_refuses_a_file_without_the_columns(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("date,kind\n2027-04-24,working_day\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing columns: reason, source"):
        call_command("calendar_load", "2027", str(path))


def test_admin_lists_kind_and_source_and_audits_an_addition(client, people):
    admin_client = signed_in_admin(client, people)
    response = admin_client.get(reverse("admin:workflows_calendarexception_changelist"))
    assert "6150/TB-LĐTBXH" in response.content.decode()
    url = reverse("admin:workflows_calendarexception_add")
    data = {"day": "2027-04-24", "is_working_day": "on", "note": "Làm bù", "source": "Thông báo thử 1/TB"}
    assert admin_client.post(url, data).status_code == 302
    row = CalendarException.objects.get(day=date(2027, 4, 24))
    added = Event.objects.get(
        action="admin.add", object_id=str(row.pk), object_type="workflows.calendarexception"
    )
    assert added.data["changes"]["source"] == [None, "Thông báo thử 1/TB"]
    assert is_working_day(date(2027, 4, 24))
