"""An article while the page is read: its lines by part and what is known of it so far.

Its own module so that structure.py, which makes drafts, and trailing.py, which
reworks finished ones, both use it without importing each other.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from archive.ingest.bylines import Byline
from archive.ingest.lines import Line


@dataclass
class Draft:
    heading: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    byline_lines: list[Line] = field(default_factory=list)
    byline: Byline | None = None
    top: bool = False  # the byline stands above the body
    closed: bool = False  # its byline has been read: nothing more belongs to it
    trailing: bool = False  # closed by its headline printed after it
    ended: bool = False  # its last line ends a sentence
    paragraphs: list[str] = field(default_factory=list)
    prose: bool = False  # a body line is text, not a heading-like line no heading took

    def add_byline(self, byline: Byline, line: Line) -> None:
        if self.byline is None:
            self.byline = copy.deepcopy(byline)
        else:
            self.byline.merge(byline)
        self.byline_lines.append(line)

    def lines(self) -> list[Line]:
        return self.heading + self.body + self.byline_lines
