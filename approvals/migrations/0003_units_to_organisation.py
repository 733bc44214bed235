"""Unit, Membership and Council leave approvals' model state; their tables now belong to organisation."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('approvals', '0002_initial'),
        ('nominations', '0005_units_in_organisation'),
        ('organisation', '0001_initial'),
        ('workflows', '0003_units_in_organisation'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are (same names, same rows): only Django's model state moves.
            state_operations=[
                migrations.AlterField(
                    model_name='voterecord',
                    name='council',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='votes', to='organisation.council'),
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='granted_by',
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='unit',
                    name='parent',
                ),
                migrations.AlterField(
                    model_name='reviewrecord',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.unit'),
                ),
                migrations.AlterField(
                    model_name='decisioncounter',
                    name='issuer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.unit'),
                ),
                migrations.AlterField(
                    model_name='decision',
                    name='issuer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='organisation.unit'),
                ),
                migrations.DeleteModel(
                    name='Council',
                ),
                migrations.DeleteModel(
                    name='Membership',
                ),
                migrations.DeleteModel(
                    name='Unit',
                ),
            ],
            database_operations=[],
        ),
    ]
