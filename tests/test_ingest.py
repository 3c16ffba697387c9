"""The ingest command and the loader: idempotence, replacement, atomicity, errors."""
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from archive.importers import IngestOptions, ingest_paths
from archive.loader import Loader
from archive.models import Article, EventDate, IngestRun, Page, Position
from tests.builders import archive_snapshot as snapshot

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SIMPLE = "郑东新区召开防汛会商会议\n\n本报讯 7月21日,郑东新区召开防汛会商会议。郑东新区水务局局长王晓沛提出要求。\n\n记者 马燕\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def test_seeds_load_into_five_pages_and_eighteen_articles(seeds, capsys):
    """The default seed set gives 5 pages and 18 articles and a summary line."""
    call_command("ingest", str(seeds))
    assert Page.objects.count() == 5
    assert Article.objects.count() == 18
    out = capsys.readouterr().out
    assert "5 created" in out and "Articles loaded: 18" in out


def test_second_ingest_changes_nothing(seeds, capsys):
    """The same files again create nothing and report them unchanged."""
    call_command("ingest", str(seeds))
    before = snapshot()
    call_command("ingest", str(seeds))
    assert snapshot() == before
    assert "5 unchanged" in capsys.readouterr().out


def test_changed_file_replaces_its_articles_and_keeps_permalinks(seeds):
    """A changed page replaces that page's articles; URLs by page and position stay."""
    call_command("ingest", str(seeds))
    page = seeds / "002_e713b7ff9e0ddada.txt"
    urls = [a.get_absolute_url() for a in Article.objects.filter(page__file_name=page.name)]
    page.write_text(page.read_text(encoding="utf-8").replace("防汛会商会议", "防汛工作会议"), encoding="utf-8")
    call_command("ingest", str(seeds))
    articles = Article.objects.filter(page__file_name=page.name)
    assert [a.get_absolute_url() for a in articles] == urls
    assert articles.filter(headline__contains="防汛工作会议").exists()
    assert not Article.objects.filter(headline__contains="防汛会商会议").exists()
    assert Article.objects.count() == 18


def test_failure_mid_page_leaves_nothing_half_written(seeds, monkeypatch):
    """An error while writing a page rolls back that whole page, and the others load."""
    original = Loader._people

    def failing(parsed):
        # Called per article once the page's articles are inserted.
        if parsed.position == 3:
            raise RuntimeError("disk on fire")
        return original(parsed)

    monkeypatch.setattr(Loader, "_people", staticmethod(failing))
    with pytest.raises(RuntimeError):
        call_command("ingest", str(seeds / "004_0a7de6b0a5fb8a92.txt"))
    assert not Page.objects.filter(file_name__startswith="004").exists()
    assert Article.objects.count() == 0


def test_unreadable_file_is_named_and_others_still_load(seeds):
    """A bad file fails with its name and reason; the good ones load; exit is non-zero."""
    (seeds / "005_broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with open(seeds / "manifest.csv", "a", encoding="utf-8") as f:
        f.write("005_broken.txt,郑州晚报,,2020\n")
    with pytest.raises(CommandError, match=r"005_broken.txt: this is a PNG image"):
        call_command("ingest", str(seeds))
    assert Page.objects.count() == 5
    assert IngestRun.objects.filter(status="failed", file_name="005_broken.txt").exists()


def test_file_without_manifest_row_needs_a_date(tmp_path):
    """No manifest row and no --published: refused with the file named, nothing stored."""
    path = tmp_path / "lone.txt"
    path.write_text(SIMPLE, encoding="utf-8")
    with pytest.raises(CommandError, match="lone.txt: no manifest row"):
        call_command("ingest", str(path))
    assert Page.objects.count() == 0


def test_gbk_file_with_options_loads_and_says_its_encoding(tmp_path, capsys):
    """GBK input is detected, and --published gives the page its date and datelines their year."""
    path = tmp_path / "old.txt"
    path.write_bytes(SIMPLE.encode("gbk"))
    call_command("ingest", str(path), "--published", "2020-07", "--newspaper", "郑州日报")
    page = Page.objects.get(file_name="old.txt")
    assert page.encoding == "gb18030" and page.published_display == "2020年7月"
    assert page.raw_text == SIMPLE
    assert "encoding gb18030" in capsys.readouterr().out
    assert EventDate.objects.filter(date_start__year=2020, date_start__month=7, date_start__day=21).exists()


def test_missing_path_is_reported(tmp_path):
    """A path that does not exist is named in the error."""
    with pytest.raises(CommandError, match="nope: no such file or folder"):
        call_command("ingest", str(tmp_path / "nope"))


def test_positions_record_first_and_last_seen(seeds):
    """孙建功's title as 郑东新区党工委书记 is seen from 2023 to 2025 (pages of 2023 and 2025-07)."""
    call_command("ingest", str(seeds))
    position = Position.objects.get(person__name="孙建功", title="郑东新区党工委书记")
    assert position.first_seen_start.year == 2023 and position.first_seen_precision == "year"
    assert position.last_seen_display == "2025年7月"


def test_export_articles_writes_one_json_object_per_article(seeds, tmp_path):
    """export_articles writes JSON Lines with the documented keys."""
    call_command("ingest", str(seeds))
    out = tmp_path / "articles.jsonl"
    call_command("export_articles", "--output", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 18
    record = json.loads(lines[0])
    for key in ("id", "url", "source", "position", "newspaper", "section", "published", "headline",
                "headline_derived", "kicker", "subheadline", "kind", "lead", "paragraphs", "reporters",
                "correspondents", "photo", "interviewee", "persons", "organizations", "districts",
                "event_dates"):
        assert key in record, key


def test_a_headline_with_zero_width_characters_is_found_by_a_headline_search(tmp_path, client):
    """防\\u200b汛 in the file is stored as 防汛, so headline:防汛 finds the article."""
    from haystack import connections

    connections["default"].get_backend().clear()
    (tmp_path / "manifest.csv").write_text("file,newspaper,section,published\nzw.txt,郑州晚报,A01,2020-07\n",
                                           encoding="utf-8")
    (tmp_path / "zw.txt").write_text("郑州召开防\u200b汛\u202e会议\n\n本报讯 近日，郑州召开防汛工作会议。\n\n记者 王阳\n",
                                     encoding="utf-8")
    call_command("ingest", str(tmp_path))
    assert Article.objects.get().headline == "郑州召开防汛会议"
    data = client.get("/api/search", {"q": "headline:防汛"}).json()
    assert data["count"] == 1


def test_derived_fields_are_cut_to_their_columns_length():
    """A parsed headline, deck and organisation longer than their columns are stored at each column's max_length."""
    from archive.ingest import types as T
    from archive.ingest.source import Decoded, PageMeta
    from archive.models import Organization

    text = "长" * 500
    article = T.ParsedArticle(position=1, headline=text, subheadline=text, paragraphs=["正文。"],
                              organizations=[text])
    Loader().load_parsed("long.txt", b"x", Decoded("x", "utf-8"), PageMeta(newspaper="报"),
                         T.ParsedPage([article]))
    stored = Article.objects.get()
    assert len(stored.headline) == Article._meta.get_field("headline").max_length
    assert len(stored.subheadline) == Article._meta.get_field("subheadline").max_length
    assert len(Organization.objects.get().name) == Organization._meta.get_field("name").max_length


# -- ingest_paths, the plain function behind the command and the editor's upload --------

def test_report_counts_what_was_loaded(seeds):
    """The report holds the counts a caller shows: 5 pages created, 18 articles, no failure."""
    report = ingest_paths([seeds], IngestOptions(index=False))
    assert (report.files, report.counts["created"], report.articles) == (5, 5, 18)
    assert report.ok and report.persons_total > 0
    assert Page.objects.count() == 5 and Article.objects.count() == 18


def test_progress_lines_reach_the_caller(seeds):
    """Each file's line goes to the progress callback as it is loaded."""
    lines = []
    ingest_paths([seeds], IngestOptions(index=False, progress=lambda line, failed=False: lines.append(line)))
    assert [line.split(":")[0] for line in lines if line.startswith("[")] == [
        f"[{i}/5] {p.name}" for i, p in enumerate(sorted(seeds.glob("*.txt")), start=1)
    ]


def test_the_caller_hears_the_total_then_each_file_step(seeds):
    """A progress bar's needs: how many files first, then one step per file, with its line."""
    heard, lines = [], []
    ingest_paths([seeds], IngestOptions(
        index=False, expect=lambda total: heard.append(("total", total)),
        step=lambda line, failed=False: heard.append(line.split(":")[0]),
        progress=lambda line, failed=False: lines.append(line),
    ))
    assert heard == [("total", 5)] + [f"[{i}/5] {p.name}" for i, p in enumerate(sorted(seeds.glob("*.txt")), start=1)]
    assert not [line for line in lines if line.startswith("[")]  # each file's line went to step alone


def test_a_failed_file_is_reported_and_audited_and_the_rest_load(seeds):
    """A broken file is a failure in the report and an IngestRun row; the other pages load."""
    (seeds / "002_e713b7ff9e0ddada.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    report = ingest_paths([seeds], IngestOptions(index=False))
    assert report.counts["failed"] == 1 and "this is a PNG image" in report.failures[0]
    assert Page.objects.count() == 4
    assert IngestRun.objects.filter(status=IngestRun.FAILED, file_name="002_e713b7ff9e0ddada.txt").exists()
