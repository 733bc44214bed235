"""Add the State-level award types (huân chương, huy chương, prizes, State honour titles, Cờ thi đua của Chính phủ,
Bằng khen của Thủ tướng, Chiến sĩ thi đua toàn quốc) with the column of form 0602.N each is counted in."""

from django.db import migrations


def fill(apps, schema_editor):
    from nominations import catalogue

    catalogue.load_state_awards(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0012_award_type_state_class"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
