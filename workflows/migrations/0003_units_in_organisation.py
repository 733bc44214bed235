"""The task scope points at organisation.Unit (same table); viewflow tasks name the moved permissions."""


import django.db.models.deletion
from django.db import migrations, models



UNIT_PERMISSIONS = [
    "file_nomination",
    "submit_nomination",
    "review_nomination",
    "appraise_nomination",
    "record_vote",
    "view_council",
    "sign_decision",
    "inspect_unit",
    "view_sensitive",
]


def _relabel(apps, old, new):
    Task = apps.get_model("viewflow", "Task")
    for codename in UNIT_PERMISSIONS:
        Task.objects.filter(owner_permission=f"{old}.{codename}").update(owner_permission=f"{new}.{codename}")


def tasks_to_organisation(apps, schema_editor):
    """viewflow keeps each task's owner permission as "app.codename": the unit permissions now live in
    `organisation`, so open (and closed) tasks are re-labelled to keep their owners able to act."""
    _relabel(apps, "approvals", "organisation")


def tasks_to_approvals(apps, schema_editor):
    _relabel(apps, "organisation", "approvals")


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0001_initial'),
        ('workflows', '0002_notification_preference'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are (same names, same rows): only Django's model state moves.
            state_operations=[
                migrations.AlterField(
                    model_name='taskscope',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.unit'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(tasks_to_organisation, tasks_to_approvals),
    ]
