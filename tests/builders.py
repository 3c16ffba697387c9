"""Small builders for model data in tests (no large fixtures)."""
import csv
import hashlib
import shutil
from datetime import date
from pathlib import Path

from archive.models import (
    Article, District, EventDate, Organization, OrganizationMention, Page, Person, PersonMention, Position,
)

_counter = {"n": 0}

# A page rendered afresh (not from the page cache) also reads the archive's version.
VERSION_READ = 1


def _next():
    _counter["n"] += 1
    return _counter["n"]


def make_page(file_name=None, text="", published=(date(2020, 7, 1), date(2020, 7, 31), "month"), **kw):
    n = _next()
    file_name = file_name or f"page_{n}.txt"
    start, end, precision = published
    data = text.encode("utf-8")
    defaults = dict(
        file_name=file_name,
        slug=file_name.rsplit(".", 1)[0].replace("_", "-"),
        checksum=hashlib.sha256(data).hexdigest(),
        encoding="utf-8",
        raw_bytes=data,
        raw_text=text,
        newspaper="郑州晚报",
        section="",
        published_start=start,
        published_end=end,
        published_precision=precision,
    )
    defaults.update(kw)
    return Page.objects.create(**defaults)


def make_article(page=None, headline="测试标题", body="测试正文。", position=None, districts=(), **kw):
    page = page or make_page()
    if position is None:
        position = page.articles.count() + 1
    kw.setdefault("number", position)
    article = Article.objects.create(page=page, position=position, headline=headline, body=body, **kw)
    for name in districts:
        article.districts.add(District.objects.get(name=name))
    return article


def make_person(name="孙建功", slug=None):
    return Person.objects.create(name=name, slug=slug or f"p{_next()}")


def mention(article, person, role="mentioned", title=""):
    position = None
    if title:
        position, _ = Position.objects.get_or_create(person=person, title=title)
    return PersonMention.objects.create(article=article, person=person, role=role, title=title, position=position)


def make_org(name="郑东新区管委会", slug=None, district=None):
    return Organization.objects.create(name=name, slug=slug or f"o{_next()}", district=district)


def archive_snapshot():
    """What the archive holds, in a form two moments can be compared by (audit rows aside)."""
    return {
        "pages": sorted(Page.objects.values_list("file_name", "checksum", "published_start", "newspaper")),
        "articles": sorted(Article.objects.values_list("id", "page__file_name", "position", "headline", "body")),
        "persons": sorted(Person.objects.values_list("id", "name")),
        "mentions": sorted(PersonMention.objects.values_list("article_id", "person_id", "role", "title")),
        "organizations": sorted(OrganizationMention.objects.values_list("article_id", "organization__name")),
        "positions": sorted(Position.objects.values_list("person__name", "title")),
        "events": EventDate.objects.count(),
    }


SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_copies(folder, copies, prefix="copy"):
    """A folder of `copies` copies of every seed page under new names (prefix, copy number,
    seed name), each with its seed's manifest row: a larger corpus than the repository holds."""
    folder.mkdir(parents=True)
    with open(SEEDS / "manifest.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for n in range(copies):
            for row in rows:
                name = f"{prefix}{n:03d}_{row['file']}"
                shutil.copyfile(SEEDS / row["file"], folder / name)
                writer.writerow({**row, "file": name})
    return folder
