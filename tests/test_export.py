"""The export at a month's scale: every article written, whatever the chunk holds."""
import json

import pytest
from django.core.management import call_command

from archive.models import Article, Organization, OrganizationMention
from tests.builders import make_page

pytestmark = pytest.mark.django_db

# More distinct organisations in one 500-article chunk than SQLite's expression
# depth (1,000) allows terms in one OR chain: the size at which the month failed.
ARTICLES, ORGS_PER_ARTICLE = 500, 3


@pytest.fixture
def wide_archive():
    page = make_page()
    articles = Article.objects.bulk_create(
        Article(page=page, position=n + 1, number=n + 1, headline=f"标题{n}", body="正文。") for n in range(ARTICLES)
    )
    orgs = Organization.objects.bulk_create(
        Organization(name=f"机构{n}", slug=f"org-{n}") for n in range(ARTICLES * ORGS_PER_ARTICLE)
    )
    OrganizationMention.objects.bulk_create(
        OrganizationMention(article=article, organization=orgs[i * ORGS_PER_ARTICLE + k])
        for i, article in enumerate(articles) for k in range(ORGS_PER_ARTICLE)
    )
    return articles


def test_export_writes_every_article_when_a_chunk_names_many_organisations(wide_archive, tmp_path):
    """1,500 distinct organisations in one chunk: one line per article, each with its organisations."""
    out = tmp_path / "articles.jsonl"
    call_command("export_articles", "--output", str(out))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == ARTICLES
    assert records[7]["organizations"] == ["机构21", "机构22", "机构23"]
