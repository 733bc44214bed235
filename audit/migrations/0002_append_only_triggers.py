"""Refuse UPDATE and DELETE on audit_event in the database itself (PostgreSQL and SQLite)."""

from django.db import migrations


def install(apps, schema_editor):
    from audit import triggers

    triggers.install_migration(apps, schema_editor)


def drop(apps, schema_editor):
    from audit import triggers

    triggers.drop_migration(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, drop, elidable=False)]
