"""Progress of a long ingest: a bar with rate and time left on a terminal, plain lines elsewhere.

A month of the PFR corpus is 278 pages and a minute or more of work; on a terminal
tqdm draws one bar (pages done, pages a second, time left) and the lines worth
keeping (failures, warnings) are printed above it. In CI or a pipe a bar is noise
in a log, so each line is written as it comes, as before. Plain Python, no Django.
"""
from __future__ import annotations

from tqdm import tqdm


class Progress:
    """Count pages done; `say` a line. `total` may be None (then the bar shows no time left)."""

    def __init__(self, stream, total: int | None = None, unit: str = "page", bar: bool | None = None):
        self.stream = stream
        if bar is None:
            bar = _is_terminal(stream)
        self.bar = tqdm(total=total, unit=unit, file=stream, dynamic_ncols=True, leave=True) if bar else None

    def expect(self, total: int):
        """The number of pages the run will load, once it is known (the bar's time left needs it)."""
        if self.bar is not None:
            self.bar.total = total
            self.bar.refresh()

    def step(self, line: str = "", n: int = 1):
        """A page is done; `line` says how it went (shown only without a bar)."""
        if self.bar is not None:
            self.bar.update(n)
        elif line:
            self.stream.write(line.rstrip("\n") + "\n")

    def say(self, line: str):
        """A line that must be seen either way (a failure, a warning, a note)."""
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            self.stream.write(line.rstrip("\n") + "\n")

    def close(self):
        if self.bar is not None:
            self.bar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
