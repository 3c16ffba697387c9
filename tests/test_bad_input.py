"""Bad input through the ingest command: each case gets a clear message naming the file
and the problem, and nothing the archive already holds changes."""
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from archive.models import Article, Page
from tests.builders import archive_snapshot

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HEADER = "file,newspaper,section,published\n"
PAGE = "郑东新区召开防汛会商会议\n\n本报讯 7月21日,郑东新区召开防汛会商会议。郑东新区水务局局长王晓沛提出要求。\n\n记者 马燕\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path):
    """An archive that already holds one seed page, and an empty folder for the bad file."""
    seed = tmp_path / "seed"
    seed.mkdir()
    shutil.copy(SEEDS / "002_e713b7ff9e0ddada.txt", seed)
    (seed / "manifest.csv").write_text(HEADER + "002_e713b7ff9e0ddada.txt,郑州日报,郑东新区,2020-07\n", encoding="utf-8")
    call_command("ingest", str(seed))
    bad = tmp_path / "bad"
    bad.mkdir()
    return bad


def refused(folder, data, message, manifest=True, name="page.txt"):
    """Ingest `data` as `name` in `folder`; assert the refusal message and an unchanged archive."""
    (folder / name).write_bytes(data)
    if manifest:
        (folder / "manifest.csv").write_text(HEADER + f"{name},郑州晚报,,2020-07\n", encoding="utf-8")
    before = archive_snapshot()
    with pytest.raises(CommandError) as info:
        call_command("ingest", str(folder))
    assert name in str(info.value) and message in str(info.value), str(info.value)
    assert archive_snapshot() == before


def test_empty_file(loaded):
    """An empty file is refused as empty."""
    refused(loaded, b"", "the file is empty")


def test_whitespace_only(loaded):
    """A file of blanks and newlines is refused."""
    refused(loaded, b" \n\n\t  \r\n", "contains only whitespace")


def test_binary_data(loaded):
    """Random binary bytes are refused as binary."""
    refused(loaded, bytes(range(256)) * 40, "binary data")


def test_image_renamed_txt(loaded):
    """A JPEG with a .txt name is recognised as an image."""
    refused(loaded, b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(500), "this is a JPEG image")


def test_truncated_utf8(loaded):
    """UTF-8 cut inside a character says so, with the byte offset."""
    refused(loaded, PAGE.encode("utf-8")[:-2], "cut off in the middle of a character")


def test_gbk_without_manifest(loaded):
    """GBK text with no manifest row and no --published is refused: the date is needed."""
    refused(loaded, PAGE.encode("gbk"), "no manifest row", manifest=False)


def test_utf16(loaded):
    """UTF-16 is refused with advice to convert."""
    refused(loaded, PAGE.encode("utf-16"), "UTF-16")


def test_fifty_megabyte_page(loaded):
    """A 50 MB 'page' is refused before it is parsed."""
    refused(loaded, ("本报讯 郑东新区召开会议。" * 40 + "\n").encode("utf-8") * 42000, "too large for one page")


def test_five_thousand_one_line_items(loaded):
    """5,000 one-line items are more than a page holds: refused with advice to split."""
    lines = "".join(f"第{i}条：郑东新区召开会议。\n" for i in range(5000))
    refused(loaded, lines.encode("utf-8"), "5000 lines of text")


def test_manifest_with_missing_file(loaded):
    """A manifest row for a file that is not there is named; the listed files still load."""
    (loaded / "page.txt").write_text(PAGE, encoding="utf-8")
    (loaded / "manifest.csv").write_text(HEADER + "page.txt,郑州晚报,,2020-07\nghost.txt,郑州晚报,,2020-07\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lists ghost.txt, which is not in"):
        call_command("ingest", str(loaded))
    assert Page.objects.filter(file_name="page.txt").exists()


def test_manifest_with_bad_date(loaded):
    """A manifest date of 2020-13 refuses the folder, naming line and file."""
    (loaded / "page.txt").write_text(PAGE, encoding="utf-8")
    (loaded / "manifest.csv").write_text(HEADER + "page.txt,郑州晚报,,2020-13\n", encoding="utf-8")
    before = archive_snapshot()
    with pytest.raises(CommandError, match=r"line 2: page.txt: '2020-13' is not a real date"):
        call_command("ingest", str(loaded))
    assert archive_snapshot() == before


def test_manifest_with_duplicate_rows(loaded):
    """Two rows for one file are refused rather than one silently winning."""
    (loaded / "page.txt").write_text(PAGE, encoding="utf-8")
    (loaded / "manifest.csv").write_text(HEADER + "page.txt,A,,2020\npage.txt,B,,2021\n", encoding="utf-8")
    before = archive_snapshot()
    with pytest.raises(CommandError, match="page.txt is listed twice"):
        call_command("ingest", str(loaded))
    assert archive_snapshot() == before


def test_manifest_with_unknown_column(loaded, capsys):
    """An unknown column is named as unused, and the page loads."""
    (loaded / "page.txt").write_text(PAGE, encoding="utf-8")
    (loaded / "manifest.csv").write_text(
        "file,newspaper,section,published,scanner\npage.txt,郑州晚报,,2020-07,A3\n", encoding="utf-8")
    call_command("ingest", str(loaded))
    assert "column(s) scanner not used" in capsys.readouterr().out
    assert Page.objects.filter(file_name="page.txt").exists()


def test_file_listed_twice_on_the_command_line(loaded, capsys):
    """The same file twice is loaded once, and the command says so."""
    (loaded / "page.txt").write_text(PAGE, encoding="utf-8")
    (loaded / "manifest.csv").write_text(HEADER + "page.txt,郑州晚报,,2020-07\n", encoding="utf-8")
    call_command("ingest", str(loaded / "page.txt"), str(loaded / "page.txt"))
    assert "given more than once; loaded once" in capsys.readouterr().out
    assert Page.objects.filter(file_name="page.txt").count() == 1


def test_path_that_does_not_exist(loaded):
    """A missing path is named; nothing changes."""
    before = archive_snapshot()
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("ingest", str(loaded / "missing"))
    assert archive_snapshot() == before


def test_folder_without_read_permission(loaded, monkeypatch):
    """A folder that cannot be listed is named with 'permission denied'."""
    # Tests may run as root, for whom chmod 000 still lists; make the listing fail instead.
    original = Path.iterdir

    def iterdir(self):
        if self == loaded:
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    before = archive_snapshot()
    with pytest.raises(CommandError, match="permission denied: cannot list the folder"):
        call_command("ingest", str(loaded))
    assert archive_snapshot() == before


def test_page_with_no_headline_loads_with_a_derived_title(loaded):
    """A page of one unheaded item loads; its title is derived from the lead and marked."""
    (loaded / "page.txt").write_text("本报讯 7月18日,郑东新区党工委扩大会议召开。会议强调要加快建设。\n", encoding="utf-8")
    (loaded / "manifest.csv").write_text(HEADER + "page.txt,郑州晚报,,2020-07\n", encoding="utf-8")
    call_command("ingest", str(loaded))
    article = Article.objects.get(page__file_name="page.txt")
    assert article.headline_derived and article.headline == "郑东新区党工委扩大会议召开"


def test_html_in_text_is_stored_as_text_and_shown_escaped(loaded, client):
    """<script> in a page is kept verbatim in the source and escaped on every page showing it."""
    text = "<script>alert('x')</script>郑东新区召开会议\n\n本报讯 郑东新区召开会议。\" onmouseover=\"alert(1)\n\n记者 马燕\n"
    (loaded / "page.txt").write_text(text, encoding="utf-8")
    (loaded / "manifest.csv").write_text(HEADER + "page.txt,郑州晚报,,2020-07\n", encoding="utf-8")
    call_command("ingest", str(loaded))
    page = Page.objects.get(file_name="page.txt")
    assert page.raw_text == text
    for url in (page.get_absolute_url(), page.articles.first().get_absolute_url(), "/"):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and '" onmouseover="alert' not in body, url
