"""ArchiveVersion: the one row every write changes; page caches and ETags are keyed by it."""
import secrets

from django.db import migrations, models
from django.utils import timezone


def first_version(apps, schema_editor):
    ArchiveVersion = apps.get_model("archive", "ArchiveVersion")
    ArchiveVersion.objects.get_or_create(pk=1, defaults={"token": secrets.token_hex(8), "changed_at": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [("archive", "0008_page_not_persons")]

    operations = [
        migrations.CreateModel(
            name="ArchiveVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
                ("changed_at", models.DateTimeField()),
            ],
            options={"verbose_name": "档案版本"},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
