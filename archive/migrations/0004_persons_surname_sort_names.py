"""Person.sort_name again: surnames now read as surnames (曾 zēng, 单 shàn, 解 xiè)."""
from django.db import migrations


def fill_sort_names(apps, schema_editor):
    from archive.models import pinyin_key

    Person = apps.get_model("archive", "Person")
    for person in Person.objects.only("pk", "name", "sort_name").iterator():
        key = pinyin_key(person.name)
        if key != person.sort_name:
            Person.objects.filter(pk=person.pk).update(sort_name=key)


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_person_sort_name")]

    operations = [migrations.RunPython(fill_sort_names, migrations.RunPython.noop)]
