"""Reload the catalogue once every parallel branch's fields exist.

The cash (0007_cash_rates…), vote-rule (0007_award_type_vote_rules) and tier (0007_award_type_fallback_tier)
migrations each reloaded the catalogue with the model as it stood on their branch, in an order the graph leaves
open; a row one of them created (e.g. the Giấy khen version before 1/7/2025) may lack the fields of another. Loading
again here, after all of them, gives every row every field. `catalogue.load` is idempotent.
"""

from django.db import migrations


def reload(apps, schema_editor):
    from nominations import catalogue

    catalogue.load(apps)
    catalogue.fill_vote_rules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0010_merge_0008_fill_registry_0009_merge_20261201_1142"),
    ]

    operations = [migrations.RunPython(reload, migrations.RunPython.noop)]
