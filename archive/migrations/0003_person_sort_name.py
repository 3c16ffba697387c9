"""Person.sort_name: a pinyin key so the person list can sort names as readers look them up."""
from django.db import migrations, models


def fill_sort_names(apps, schema_editor):
    from archive.models import pinyin_key

    Person = apps.get_model("archive", "Person")
    for person in Person.objects.only("pk", "name").iterator():
        Person.objects.filter(pk=person.pk).update(sort_name=pinyin_key(person.name))


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_districts")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="sort_name",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200, verbose_name="拼音"),
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop),
    ]
