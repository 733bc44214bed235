"""Fill the registry from the nominee rows: one person (individual) or collective per nominee, one nominee
snapshot per nomination (a row two nominations shared is copied), and the award history keyed on the record."""

from django.db import migrations


def fold(text):
    import unicodedata

    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def fill(apps, schema_editor):
    Nominee = apps.get_model("nominations", "Nominee")
    Nomination = apps.get_model("nominations", "Nomination")
    AwardHistory = apps.get_model("nominations", "AwardHistory")
    Person = apps.get_model("nominations", "Person")
    Collective = apps.get_model("nominations", "Collective")
    for nominee in Nominee.objects.order_by("pk").iterator():
        citizen_id = nominee.citizen_id.strip()
        if nominee.kind == "individual":
            person = Person.objects.create(
                full_name=nominee.full_name,
                name_folded=fold(nominee.full_name),
                citizen_id=citizen_id if len(citizen_id) == 12 and citizen_id.isdigit() else "",
                birth_year=nominee.birth_year,
                gender=nominee.gender,
                unit_id=nominee.unit_id,
            )
            nominee.person_id = person.pk
        else:
            collective = Collective.objects.create(
                name=nominee.full_name,
                name_folded=fold(nominee.full_name),
                kind=nominee.kind,
                unit_id=nominee.unit_id,
            )
            nominee.collective_id = collective.pk
        nominee.save(update_fields=["person", "collective"])
        AwardHistory.objects.filter(nominee_id=nominee.pk).update(
            person_id=nominee.person_id, collective_id=nominee.collective_id
        )
        # Each nomination keeps its own snapshot: the second and later nominations of a shared row get a copy.
        for nomination in Nomination.objects.filter(nominee_id=nominee.pk).order_by("pk")[1:]:
            original = nominee.pk
            nominee.pk = None
            nominee.save()
            Nomination.objects.filter(pk=nomination.pk).update(nominee_id=nominee.pk)
            AwardHistory.objects.filter(nomination_id=nomination.pk).update(nominee_id=nominee.pk)
            nominee = Nominee.objects.get(pk=original)


class Migration(migrations.Migration):
    dependencies = [("nominations", "0007_person_collective_registry")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
