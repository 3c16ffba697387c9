"""Permalink numbers that outlive a re-ingest, tombstones for articles that left their
page, and a flag for articles an editor corrected."""
import django.db.models.deletion
from django.db import migrations, models


def number_from_position(apps, schema_editor):
    # Until now the URL was page plus position: the numbers start as those URLs.
    Article = apps.get_model("archive", "Article")
    Article.objects.update(number=models.F("position"))


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0005_merge_persons_places"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="number",
            field=models.PositiveIntegerField(default=0, verbose_name="固定编号"),
            preserve_default=False,
        ),
        migrations.RunPython(number_from_position, migrations.RunPython.noop),
        migrations.AddField(
            model_name="article",
            name="corrected",
            field=models.BooleanField(default=False, editable=False, verbose_name="经编辑更正"),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(fields=("page", "number"), name="article_page_number"),
        ),
        migrations.CreateModel(
            name="Tombstone",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("former_id", models.PositiveIntegerField(help_text="The id the article had.")),
                ("headline", models.CharField(max_length=300)),
                ("body", models.TextField()),
                ("at", models.DateTimeField(auto_now=True)),
                ("page", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="tombstones", to="archive.page")),
                ("successor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="predecessors", to="archive.article")),
            ],
            options={
                "verbose_name": "已消失的文章",
                "verbose_name_plural": "已消失的文章",
                "constraints": [models.UniqueConstraint(fields=("page", "number"), name="tombstone_page_number")],
            },
        ),
    ]
