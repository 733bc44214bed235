"""Seed the 2025–2026 government notices: each bridged day off and the make-up Saturday that pays for it.

A day already entered (by an administrator) is left as it is; undoing removes only rows still carrying this source.
"""

from datetime import date

from django.db import migrations

SOURCE_2025 = "Thông báo 6150/TB-BLĐTBXH (Bộ LĐTBXH, 2024); số hiệu chưa đối chiếu bản gốc"
SOURCE_2026 = "Lịch nghỉ Quốc khánh 2026: chưa xác minh số thông báo"

EXCEPTIONS = [
    (date(2025, 4, 26), True, "Làm bù cho ngày nghỉ thứ Sáu 02/05/2025", SOURCE_2025),
    (date(2025, 5, 2), False, "Nghỉ hoán đổi, làm bù thứ Bảy 26/04/2025", SOURCE_2025),
    (date(2026, 8, 22), True, "Làm bù cho ngày nghỉ thứ Hai 31/08/2026", SOURCE_2026),
    (date(2026, 8, 31), False, "Nghỉ hoán đổi, làm bù thứ Bảy 22/08/2026", SOURCE_2026),
]


def fill(apps, schema_editor):
    CalendarException = apps.get_model("workflows", "CalendarException")
    for day, is_working_day, note, source in EXCEPTIONS:
        CalendarException.objects.get_or_create(
            day=day, defaults={"is_working_day": is_working_day, "note": note, "source": source}
        )


def empty(apps, schema_editor):
    CalendarException = apps.get_model("workflows", "CalendarException")
    for day, _is_working_day, _note, source in EXCEPTIONS:
        CalendarException.objects.filter(day=day, source=source).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0005_calendarexception_source"),
    ]

    operations = [migrations.RunPython(fill, empty)]
