"""Tập thể lao động xuất sắc (and the provincial Bằng khen) are vetted by the standing council, not voted by the full
council (DOMAIN.md §3): correct the council-vote fields of their versions in force, leave every other field (the
admin may have edited them) and every older version as they are."""

from django.db import migrations
from django.utils import timezone


def fill(apps, schema_editor):
    from nominations import catalogue

    catalogue.fill_council_votes(
        apps, {"tap_the_lao_dong_xuat_sac", "bang_khen_tinh"}, timezone.localdate()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0011_catalogue_after_merge"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
