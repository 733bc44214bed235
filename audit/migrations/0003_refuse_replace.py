"""Refuse SQLite's INSERT OR REPLACE over an existing audit event (re-installs the triggers, idempotent)."""

from django.db import migrations


def install(apps, schema_editor):
    from audit import triggers

    triggers.install_migration(apps, schema_editor)


def drop_replace_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_replace")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(install, drop_replace_trigger, elidable=False)]
