"""Places form a hierarchy: country, province, city, county or zone, each with its code.

Seeds the national gazetteer (archive/ingest/places/, see scripts/build_places.py).
The Zhengzhou districts already in the table keep their rows and slugs and are put
under 郑州市; a place an older ingest made by name alone is adopted by the
gazetteer's place of that name.
"""
import django.db.models.deletion
from django.db import migrations, models


def add_places(apps, schema_editor):
    from archive.ingest.gazetteer import national_rows

    District = apps.get_model("archive", "District")
    rows = national_rows()
    by_slug = {d.slug: d for d in District.objects.all()}
    unplaced = {}
    for d in by_slug.values():
        if not d.level:
            unplaced.setdefault(d.name, d)
    new, placed = [], []  # (row, district)
    for row in rows:
        district = by_slug.get(row.slug)
        if district is not None and district.name != row.name:
            district = None  # a slug someone else's place took: the gazetteer's place gets another
        district = district or unplaced.pop(row.name, None)
        if district is None:
            slug = row.slug if row.slug not in by_slug else f"{row.slug}-{(row.code or row.parent).lower()}"
            district = District(name=row.name, slug=slug, city="")
            by_slug[slug] = district
            new.append(district)
        district.level, district.kind, district.code = row.level, row.kind, row.code
        if row.aliases and not district.aliases:
            district.aliases = "\n".join(row.aliases)
        placed.append((row, district))
    District.objects.bulk_create(new, batch_size=500)
    by_code = {row.code: d for row, d in placed if row.code}
    provinces_parent = by_code["CN"]
    for row, district in placed:
        if row.parent:
            district.parent = by_code[row.parent]
        elif row.level == "province":
            district.parent = provinces_parent
    District.objects.bulk_update([d for _, d in placed], ["level", "kind", "code", "aliases", "parent"],
                                 batch_size=500)


def keep_places(apps, schema_editor):
    # Places may have articles by now; unapplying keeps them.
    pass


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0003_person_sort_name'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='district',
            options={'ordering': ['name'], 'verbose_name': '地方', 'verbose_name_plural': '地方'},
        ),
        migrations.AddField(
            model_name='district',
            name='code',
            field=models.CharField(blank=True, db_index=True, help_text='行政区划代码（GB/T 2260）或国家代码（ISO 3166-1）；功能区留空。', max_length=12, verbose_name='代码'),
        ),
        migrations.AddField(
            model_name='district',
            name='level',
            field=models.CharField(blank=True, choices=[('country', '国家'), ('province', '省'), ('city', '市'), ('county', '区县')], max_length=10, verbose_name='层级'),
        ),
        migrations.AddField(
            model_name='district',
            name='parent',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='children', to='archive.district', verbose_name='上级'),
        ),
        migrations.AlterField(
            model_name='district',
            name='name',
            field=models.CharField(max_length=50, verbose_name='名称'),
        ),
        migrations.AddConstraint(
            model_name='district',
            constraint=models.UniqueConstraint(fields=('name', 'parent'), name='district_name_in_parent'),
        ),
        migrations.RunPython(add_places, keep_places),
    ]
