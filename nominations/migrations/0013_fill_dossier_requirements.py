"""The dossier requirements the code held until now (REQUIRED_KINDS and the CSTĐ tỉnh initiative), as rows."""

from django.db import migrations


def fill(apps, schema_editor):
    from nominations import catalogue

    catalogue.load_dossier_requirements(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0012_dossier_requirements_submission_scan"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
