"""Person.sort_name again: more surnames read as surnames (葛 gě, 宁 nìng, 肖 xiāo, 卜 bǔ),
after checking the table against pinyin-pro's (see archive/ingest/surnames.py)."""
from django.db import migrations


def fill_sort_names(apps, schema_editor):
    from archive.models import pinyin_key

    Person = apps.get_model("archive", "Person")
    for person in Person.objects.only("pk", "name", "sort_name").iterator():
        key = pinyin_key(person.name)
        if key != person.sort_name:
            Person.objects.filter(pk=person.pk).update(sort_name=key)


class Migration(migrations.Migration):
    dependencies = [("archive", "0006_desk_article_identity")]

    operations = [migrations.RunPython(fill_sort_names, migrations.RunPython.noop)]
