from django.db import migrations


def fill(apps, schema_editor):
    from nominations import catalogue

    catalogue.load(apps)


class Migration(migrations.Migration):
    dependencies = [("nominations", "0003_award_type_fixed_amount")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
