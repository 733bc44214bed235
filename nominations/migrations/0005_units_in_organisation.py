"""Foreign keys to the unit tree and councils now name organisation.* (same tables, no schema change)."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('nominations', '0004_fill_fixed_amounts'),
        ('organisation', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are (same names, same rows): only Django's model state moves.
            state_operations=[
                migrations.AlterField(
                    model_name='honourround',
                    name='council',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='organisation.council'),
                ),
                migrations.AlterField(
                    model_name='nomination',
                    name='current_unit',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.unit'),
                ),
                migrations.AlterField(
                    model_name='nomination',
                    name='deciding_unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.unit'),
                ),
                migrations.AlterField(
                    model_name='nomination',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominations', to='organisation.unit', verbose_name='đơn vị đề nghị'),
                ),
                migrations.AlterField(
                    model_name='nominee',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominees', to='organisation.unit', verbose_name='đơn vị công tác'),
                ),
                migrations.AlterField(
                    model_name='submission',
                    name='unit',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='organisation.unit'),
                ),
            ],
            database_operations=[],
        ),
    ]
