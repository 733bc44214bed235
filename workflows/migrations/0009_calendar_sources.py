"""Name the notices behind the seeded 2025–2026 swaps (checked against published lists, not the gazette itself).

2025: Thông báo 6150/TB-LĐTBXH moved Friday 2 May to Saturday 26 April (the 2024 text misspelt the symbol).
2026: Thông báo 9441/TB-BNV moved Monday 31 August to Saturday 22 August. Rows an administrator changed are left.
"""

from django.db import migrations

OLD_2025 = "Thông báo 6150/TB-BLĐTBXH (Bộ LĐTBXH, 2024); số hiệu chưa đối chiếu bản gốc"
OLD_2026 = "Lịch nghỉ Quốc khánh 2026: chưa xác minh số thông báo"
NEW_2025 = "Thông báo 6150/TB-LĐTBXH của Bộ Lao động – Thương binh và Xã hội (nghỉ Tết, Quốc khánh 2025)"
NEW_2026 = "Thông báo 9441/TB-BNV của Bộ Nội vụ (nghỉ Tết, Quốc khánh 2026)"
CHANGES = [(OLD_2025, NEW_2025, 2025), (OLD_2026, NEW_2026, 2026)]


def name_sources(apps, schema_editor):
    CalendarException = apps.get_model("workflows", "CalendarException")
    for old, new, year in CHANGES:
        CalendarException.objects.filter(day__year=year, source=old).update(source=new)


def unname_sources(apps, schema_editor):
    CalendarException = apps.get_model("workflows", "CalendarException")
    for old, new, year in CHANGES:
        CalendarException.objects.filter(day__year=year, source=new).update(source=old)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0008_reorganisation")]

    operations = [migrations.RunPython(name_sources, unname_sources)]
