from django.db import migrations

from nominations.catalogue import MOVEMENT, MOVEMENT_LAUNCH


def fill(apps, schema_editor):
    """Record the launch of "Đồng khởi mới 2020–2025" (Chỉ thị 01-CT/TU, 17/10/2020; vision to 2030)."""
    Movement = apps.get_model("nominations", "Movement")
    Movement.objects.filter(code=MOVEMENT["code"], launched_on__isnull=True).update(**MOVEMENT_LAUNCH)


class Migration(migrations.Migration):
    dependencies = [("nominations", "0018_movement_life")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
