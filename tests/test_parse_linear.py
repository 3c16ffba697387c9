"""Parsing stays linear in the page's length: four times the page takes about four times as long."""
import time

from archive.ingest.structure import split_text


def page(n: int) -> str:
    # Every kind of line the gap tests read: headlines set apart, datelines, text after a
    # wide gap with no headline, bylines above and after the text, narrow columns.
    parts = []
    for i in range(n):
        parts.append(f"郑州第{i}次召开会议\n\n本报讯 近日，郑州召开第{i}次会议。\n\n记者 王阳\n\n\n\n"
                     f"会议要求抓好落实。\n\n本报记者　马燕\n深化改革\n扎实推进\n\n"
                     "一线观察\n会议要求各地\n抓好落实，确\n保安全度汛。\n")
    return "\n".join(parts)


def best(text: str) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        split_text(text)
        times.append(time.perf_counter() - started)
    return min(times)


def test_four_times_the_page_takes_at_most_eight_times_as_long():
    """A quadratic step would take sixteen times as long; linear takes four (eight leaves room for noise)."""
    small, large = page(100), page(400)
    split_text(small)  # warm the regex caches
    assert best(large) < 8 * best(small)
