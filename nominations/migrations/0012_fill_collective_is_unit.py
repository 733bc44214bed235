"""Mark the collectives that are their unit itself (`is_unit`): those named as their unit (name or short name,
accents and case ignored). The oldest such collective of a unit is the unit's own; later namesakes stay named
collectives (their history is theirs until a reviewer merges them)."""

from django.db import migrations

from organisation.text import fold


def fill(apps, schema_editor):
    Collective = apps.get_model("nominations", "Collective")
    Unit = apps.get_model("organisation", "Unit")
    names = {}
    for unit in Unit.objects.only("pk", "name", "short_name").iterator():
        names[unit.pk] = {fold(unit.name), fold(unit.short_name)} - {""}
    marked = set()
    rows = Collective.objects.filter(kind="collective", merged_into__isnull=True).order_by("pk")
    for collective in rows.only("pk", "unit_id", "name_folded").iterator():
        if collective.unit_id not in marked and collective.name_folded in names.get(collective.unit_id, ()):
            marked.add(collective.unit_id)
            Collective.objects.filter(pk=collective.pk).update(is_unit=True)


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0011_catalogue_after_merge"),
        ("organisation", "0003_merge_20261201_1138"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
