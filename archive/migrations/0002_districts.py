"""Seed the District table from the gazetteer; after this, admin edits rule."""
from django.db import migrations


def add_districts(apps, schema_editor):
    from archive.ingest.gazetteer import ZHENGZHOU

    District = apps.get_model("archive", "District")
    for d in ZHENGZHOU:
        District.objects.get_or_create(
            name=d.name,
            defaults={"slug": d.slug, "kind": d.kind, "aliases": "\n".join(d.aliases)},
        )


def remove_nothing(apps, schema_editor):
    # Districts may have articles by now; unapplying keeps them.
    pass


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(add_districts, remove_nothing)]
