"""What the parser hands the loader: plain dataclasses, no Django.

These are the contract between `archive.ingest` (reads page text) and
`archive.loader` (the one writer of models). Keep them plain and JSON-able.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Roles a person can have in an article (also the values stored on mentions).
INTERVIEWEE = "interviewee"
REPORTER = "reporter"
CORRESPONDENT = "correspondent"
PHOTOGRAPHER = "photographer"
MENTIONED = "mentioned"
ROLES = (INTERVIEWEE, REPORTER, CORRESPONDENT, PHOTOGRAPHER, MENTIONED)
# The one table of what each role is called on the site (and in the admin's choices).
ROLE_LABELS = {
    INTERVIEWEE: "受访者",
    REPORTER: "记者",
    CORRESPONDENT: "通讯员",
    PHOTOGRAPHER: "摄影",
    MENTIONED: "提及",
}
BYLINE_ROLES = (REPORTER, CORRESPONDENT, PHOTOGRAPHER)  # who wrote or took it
NAMED_ROLES = (INTERVIEWEE, MENTIONED)  # who it is about

NEWS = "news"
INTERVIEW = "interview"
KINDS = (NEWS, INTERVIEW)


@dataclass
class PersonRef:
    """A person named in an article, with the title printed before the name."""

    name: str
    title: str = ""  # as printed, e.g. 郑东新区党工委书记、中原科技城党工委书记
    role: str = MENTIONED
    # Further titles printed for the same person in the same article, e.g. the
    # 领导小组副组长 after a comma in "管委会副主任,“双改”工作领导小组副组长周定友".
    other_titles: list[str] = field(default_factory=list)
    # Organisation or district the title belongs to, when the parser can tell.
    organization: str = ""
    district: str = ""


@dataclass
class EventDate:
    """A date written inside an article (7月18日, 近日), resolved where it can be."""

    text: str  # as written
    value: str = ""  # ISO 8601 partial date: 2020-07-18, 2020-07 or 2017; "" if unknown
    precision: str = ""  # day, month, year ("" when unknown)
    approximate: bool = False  # 近日 and the like: "about then"


@dataclass
class ParsedArticle:
    position: int  # 1-based reading order on the page
    headline: str
    headline_derived: bool = False  # the source prints no headline; we made one
    kicker: str = ""  # 引题 / package headline such as ■ 相关新闻
    subheadline: str = ""  # deck, e.g. ——访郑东新区党工委书记孙建功
    lead: str = ""  # dateline at the start of the body, e.g. 本报讯 7月18日
    paragraphs: list[str] = field(default_factory=list)
    kind: str = NEWS
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    photo: bool = False  # byline says 文/图 or 图: the article carried a photo
    byline: str = ""  # the byline as printed
    interviewee: PersonRef | None = None
    persons: list[PersonRef] = field(default_factory=list)  # officials and others named
    organizations: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)  # canonical district names
    event_dates: list[EventDate] = field(default_factory=list)
    # Character offsets [start, end) of the article's text in the page's raw text,
    # so the source page can mark each article's span.
    span_start: int = 0
    span_end: int = 0

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class ParsedPage:
    articles: list[ParsedArticle]
    warnings: list[str] = field(default_factory=list)
