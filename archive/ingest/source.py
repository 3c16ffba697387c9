"""Reading source files: encoding detection and the manifest beside the pages.

Plain Python. Every refusal raises SourceError with a message that names the
file and the problem, so the ingest command can report it and go on.
"""
from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from archive.ingest.dates import DateError, PartialDate

MANIFEST_NAME = "manifest.csv"
REQUIRED_COLUMNS = ("file", "newspaper", "section", "published")
PAGE_SUFFIXES = (".txt",)
# A broadsheet page of extracted text is tens of KB and a few hundred lines; far
# beyond that the file is a whole issue, a dump or garbage, and parsing it as one
# page would only make one monstrous article.
MAX_PAGE_BYTES = 2 * 1024 * 1024
MAX_PAGE_LINES = 3000

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}


# Characters that print nothing: zero-width spaces and joiners, bidi marks, embeddings,
# overrides and isolates, the soft hyphen. Pasted or extracted into a headline or a
# name they split it for search (防\u200b汛 is not 防汛) and can reorder what is shown.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def remove_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


class SourceError(Exception):
    """A file or manifest that cannot be ingested, with the reason."""


@dataclass
class Decoded:
    text: str
    encoding: str  # utf-8, utf-8-sig or gb18030


def _cjk_share(text: str) -> float:
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return 0.0
    cjk = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
              or "\uff00" <= c <= "\uffef" or c in "“”‘’—…·")
    return cjk / len(letters)


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\r\n\t\f")
    return bad / len(text)


def _too_large(name: str, size: int) -> SourceError:
    return SourceError(
        f"{name}: {size / 1048576:.1f} MB is too large for one page "
        f"(limit {MAX_PAGE_BYTES // 1048576} MB); split it into pages"
    )


def read_page_bytes(path: Path) -> bytes:
    """A page file's bytes, refused by its size before it is read (and never read past the limit)."""
    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise _too_large(printable(str(path)), size)
        with open(path, "rb") as f:
            data = f.read(MAX_PAGE_BYTES + 1)  # a file still growing is cut off here
    except OSError as exc:
        raise SourceError(f"{printable(str(path))}: cannot read: {exc.strerror}") from None
    if len(data) > MAX_PAGE_BYTES:
        raise _too_large(printable(str(path)), len(data))
    return data


def file_name_problem(path: Path) -> str | None:
    """Why a file's name cannot be stored as given (bytes that are not UTF-8), or None."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return (f"{printable(str(path))}: the file name is not valid UTF-8 "
                "(rename the file, e.g. with convmv -f gbk -t utf-8)")
    return None


# Characters that would let a file name move or fake a line of the ingest's output:
# line breaks, other controls, bidi overrides and zero-width marks, unpaired surrogates
# (bytes of a name that is not UTF-8).
_UNPRINTABLE = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def printable(text: str) -> str:
    """`text` with every unprintable character written as an escape (\\n, \\x1b, \\udcb0)."""
    if all(c.isprintable() or c == " " for c in text):
        return text
    return "".join(
        c.encode("unicode_escape", "backslashreplace").decode("ascii") if unicodedata.category(c) in _UNPRINTABLE
        else c for c in text
    )


def decode(data: bytes, name: str) -> Decoded:
    """Decode page bytes as UTF-8 (with or without BOM) or GB18030/GBK, or refuse."""
    if not data:
        raise SourceError(f"{name}: the file is empty")
    if len(data) > MAX_PAGE_BYTES:
        raise _too_large(name, len(data))
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise SourceError(f"{name}: this is {what}, not page text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 10:
        raise SourceError(f"{name}: looks like UTF-16 or binary data (NUL bytes); convert it to UTF-8")
    if b"\x00" in data:
        raise SourceError(f"{name}: contains NUL bytes: binary data, not page text")

    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data)]
    else:
        candidates = [("utf-8", data)]
    for encoding, payload in candidates:
        try:
            text = payload.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data" and exc.end >= len(payload) - 3:
                raise SourceError(
                    f"{name}: UTF-8 text cut off in the middle of a character at byte {exc.start} "
                    "(truncated file?)"
                ) from None
            if encoding == "utf-8-sig":
                raise SourceError(f"{name}: has a UTF-8 BOM but is not valid UTF-8 at byte {exc.start}") from None
            break
        else:
            return _checked(text, encoding, name)

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{name}: neither UTF-8 nor GB18030/GBK (invalid byte at {exc.start})"
        ) from None
    # GB18030 accepts many byte strings; real Chinese page text decodes to mostly CJK.
    if _cjk_share(text) < 0.3:
        raise SourceError(f"{name}: neither UTF-8 nor GB18030/GBK text (decodes to noise)")
    return _checked(text, "gb18030", name)


def _checked(text: str, encoding: str, name: str) -> Decoded:
    text = remove_invisible(text)
    if not text.strip():
        raise SourceError(f"{name}: contains only whitespace")
    lines = sum(1 for line in text.splitlines() if line.strip())
    if lines > MAX_PAGE_LINES:
        raise SourceError(
            f"{name}: {lines} lines of text, more than one page holds (limit {MAX_PAGE_LINES}); "
            "split it into pages"
        )
    if _control_share(text) > 0.01:
        raise SourceError(f"{name}: contains control characters: binary data, not page text")
    return Decoded(text=text, encoding=encoding)


@dataclass
class PageMeta:
    newspaper: str = ""
    section: str = ""
    published: PartialDate | None = None
    note: str = ""
    source: str = ""  # where this metadata came from: manifest path and line, or options
    # PFR only: words the whole corpus tags nr on this page but more often as a place or
    # name (pfr.tag_votes), kept with the page so it can be read again by itself.
    not_persons: frozenset[str] = frozenset()


KNOWN_COLUMNS = (*REQUIRED_COLUMNS, "note")


@dataclass
class Manifest:
    path: Path
    rows: dict[str, PageMeta] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # worth saying, not worth refusing


def read_manifest(path: Path) -> Manifest:
    """Read manifest.csv: UTF-8, header file,newspaper,section,published (extra columns allowed)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the manifest: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: the manifest must be UTF-8 (invalid byte at {exc.start})") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SourceError(
            f"{path}: the header lacks {', '.join(missing)} "
            f"(expected {','.join(REQUIRED_COLUMNS)}, extra columns allowed)"
        )
    manifest = Manifest(path=path)
    unused = [c for c in header if c not in KNOWN_COLUMNS]
    if unused:
        manifest.notes.append(
            f"{path}: column(s) {', '.join(unused)} not used (known: {','.join(KNOWN_COLUMNS)})"
        )
    problems = []
    for line_no, row in enumerate(reader, start=2):
        # The file column names a file as it is on disk, invisible characters and all.
        row = {(k or "").strip(): (v or "").strip() if k.strip() == "file" else remove_invisible(v or "").strip()
               for k, v in row.items() if k is not None}
        file_name = row.get("file", "")
        if not file_name:
            if any(row.values()):
                problems.append(f"line {line_no}: no file name")
            continue
        if "/" in file_name or "\\" in file_name:
            problems.append(f"line {line_no}: {file_name!r}: give the bare file name, not a path")
            continue
        if file_name in manifest.rows:
            problems.append(f"line {line_no}: {file_name} is listed twice")
            continue
        published = None
        if row.get("published"):
            try:
                published = PartialDate.parse(row["published"])
            except DateError as exc:
                problems.append(f"line {line_no}: {file_name}: {exc}")
                continue
        manifest.rows[file_name] = PageMeta(
            newspaper=row.get("newspaper", ""),
            section=row.get("section", ""),
            published=published,
            note=row.get("note", ""),
            source=f"{path.name}:{line_no}",
        )
    if problems:
        raise SourceError(f"{path}: " + "; ".join(problems))
    return manifest


def collect_files(paths: list[Path]) -> tuple[list[Path], list[str], list[str]]:
    """Expand files and folders into page files, in a stable order, once each.

    Returns the files, the problems found (missing paths, unreadable folders) and
    notes (a file given twice, which is loaded once).
    """
    files: list[Path] = []
    problems: list[str] = []
    notes: list[str] = []
    seen: set[Path] = set()

    def add(file_path: Path):
        resolved = file_path.resolve()
        if resolved in seen:
            notes.append(f"{file_path}: given more than once; loaded once")
        else:
            seen.add(resolved)
            files.append(file_path)

    for path in paths:
        shown = printable(str(path))
        if not path.exists():
            problems.append(f"{shown}: {_not_there(path)}")
        elif path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except PermissionError:
                problems.append(f"{shown}: permission denied: cannot list the folder")
                continue
            for entry in entries:
                if entry.suffix.lower() not in PAGE_SUFFIXES:
                    continue
                if entry.is_file():
                    add(entry)
                elif not entry.is_dir():
                    notes.append(f"{printable(str(entry))}: skipped: {_not_regular(entry)}")
        elif path.is_file():
            add(path)
        else:
            problems.append(f"{shown}: {_not_regular(path)}")
    return files, problems, notes


def _not_there(path: Path) -> str:
    if os.path.islink(path):
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "a symbolic link that loops back on itself"
        return "a symbolic link to nothing"
    return "no such file or folder"


def _not_regular(path: Path) -> str:
    """What a page path that is neither a regular file nor a folder is."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return _not_there(path)
    for test, what in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return f"{what}, not a regular file"
    return "not a regular file or folder"
