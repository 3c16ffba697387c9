"""Replaying editors' corrections on a fresh parse of a page (plain Python, no Django).

A correction is stored as what the editor did to the text they saw, not as a
change to database rows, so it can be done again on any later parse of the page:
an unchanged page re-parsed after a parser upgrade, or a replaced file. Each one
finds its article by text (the article as the editor saw it, `anchor`, compared as
archive.ingest.identity compares articles across re-ingest) and checks that what it
changed is still there (`before`). One that cannot is reported, never forced and
never silently dropped.

Corrections are plain dicts (JSON as stored): `action`, `anchor`, `article_id`, and
the action's own keys (see ACTIONS). Text corrections run first, in the order they
were made; then the page's entities are found again on the corrected text; then the
entity corrections run (an added, removed or renamed person is about the text as
corrected).
"""
from __future__ import annotations

from dataclasses import dataclass

from archive.ingest import gazetteer, identity, pfr
from archive.ingest import types as T
from archive.ingest.bylines import parse_byline
from archive.ingest.entities import extract_page_entities
from archive.ingest.structure import derive_headline

FIELDS = ("headline", "kicker", "subheadline", "byline", "lead")
ENTITY_KINDS = ("person", "organization", "place")


class NoLongerApplies(Exception):
    """The text a correction was made to is not on the page any more (the message says how)."""


@dataclass
class Page:
    """What the actions need besides the articles: the page's text and its places."""

    raw: str = ""
    places: object = None  # an archive.ingest.gazetteer.Gazetteer (or what as_gazetteer takes)


@dataclass
class Outcome:
    correction_id: int
    applied: bool
    reason: str = ""


def find(articles: list[T.ParsedArticle], anchor: str) -> int:
    """Index of the article most like the one the editor corrected."""
    text = identity.fingerprint("", anchor)
    best, index = 0.0, -1
    for i, article in enumerate(articles):
        score = identity.similarity(text, identity.fingerprint(article.headline, article.body))
        if score > best:
            best, index = score, i
    if best < identity.SAME:
        raise NoLongerApplies("the article is no longer on the page")
    return index


def anchor_text(headline: str, body: str) -> str:
    """What a correction remembers of its article to find it again."""
    return f"{headline}\n{body}"


def _byline(article: T.ParsedArticle, text: str) -> None:
    parsed = parse_byline(text) if text else None
    article.byline = text
    article.reporters = list(parsed.reporters) if parsed else []
    article.correspondents = list(parsed.correspondents) if parsed else []
    article.photographers = list(parsed.photographers) if parsed else []
    article.photo = parsed.photo if parsed else False


BYLINE_LISTS = ("reporters", "correspondents", "photographers")


def _move_byline(source: T.ParsedArticle, target: T.ParsedArticle) -> None:
    target.byline, target.photo = source.byline, source.photo
    for role in BYLINE_LISTS:
        setattr(target, role, getattr(source, role))
        setattr(source, role, [])
    source.byline, source.photo = "", False


def _edit_field(articles, i, c, page):
    article, field = articles[i], c["field"]
    if field not in FIELDS:
        raise NoLongerApplies(f"unknown field {field!r}")
    now = getattr(article, field)
    if now not in (c["before"], c["after"]):
        raise NoLongerApplies(f"the {field} now reads {now!r}, not {c['before']!r}")
    if field == "byline":
        _byline(article, c["after"])
    else:
        setattr(article, field, c["after"])
    if field == "headline":
        article.headline_derived = False


def _edit_paragraph(articles, i, c, page):
    paragraphs = articles[i].paragraphs
    if c["after"] in paragraphs and c["before"] not in paragraphs:
        return
    if c["before"] not in paragraphs:
        raise NoLongerApplies("the paragraph is no longer in the article")
    paragraphs[paragraphs.index(c["before"])] = c["after"]


def _split_point(article: T.ParsedArticle, at: str) -> tuple[int, int]:
    """(paragraph, offset) where the text `at` begins a paragraph or a line inside one."""
    for k, paragraph in enumerate(article.paragraphs):
        offset = paragraph.find(at)
        if offset == 0 and k > 0 or offset > 0:
            return k, offset
    raise NoLongerApplies("the text where the article was split is not in it (or begins it)")


def _span_cut(raw: str, article: T.ParsedArticle, at: str) -> int:
    """Where in the page's text the second part begins: at `at`, or at the start of the
    line that prints it (a tagged line, 各地/r 群众/n, prints it only without its tags)."""
    probe = at[:12]
    if not probe:
        return article.span_end
    found = raw.find(probe, article.span_start, article.span_end)
    if found >= 0:
        return found
    start = article.span_start
    for line in raw[article.span_start:article.span_end].split("\n"):
        tagged = pfr.split_line(line)
        if tagged is not None and probe in tagged.text:
            return start
        start += len(line) + 1
    return article.span_end


def _split(articles, i, c, page):
    first = articles[i]
    k, offset = _split_point(first, c["at"])
    head = first.paragraphs[:k] + ([first.paragraphs[k][:offset].rstrip()] if offset else [])
    tail = ([first.paragraphs[k][offset:].lstrip()] if offset else [first.paragraphs[k]]) + first.paragraphs[k + 1:]
    cut = _span_cut(page.raw, first, c["at"])
    second = T.ParsedArticle(
        position=0, headline=c.get("headline") or derive_headline(tail[0]),
        headline_derived=not c.get("headline"), paragraphs=tail,
        span_start=cut, span_end=first.span_end, article_id=c.get("new_id"), corrected=True,
    )
    # A byline printed at the end goes with the second part; one inside the first part's
    # text (the dateline's 本报讯记者王阳报道) stays. Its names move as read, not read again.
    if first.byline and not any(first.byline in p for p in head):
        _move_byline(first, second)
    first.paragraphs, first.span_end = head, cut
    articles.insert(i + 1, second)


def _merge_next(articles, i, c, page):
    if i + 1 >= len(articles):
        raise NoLongerApplies("the article is now the last on the page")
    nxt = articles[i + 1]
    if identity.similarity(identity.fingerprint("", c["next_anchor"]),
                           identity.fingerprint(nxt.headline, nxt.body)) < identity.SAME:
        raise NoLongerApplies("the article that followed it is not the one that follows it now")
    first = articles[i]
    # The second's printed headline is text of the page: it stays, as a paragraph.
    printed = [] if nxt.headline_derived else [" ".join(filter(None, [nxt.kicker, nxt.headline, nxt.subheadline]))]
    first.paragraphs = first.paragraphs + printed + nxt.paragraphs
    first.byline = " ".join(filter(None, [first.byline, nxt.byline]))
    for role in BYLINE_LISTS:
        names = getattr(first, role)
        names += [n for n in getattr(nxt, role) if n not in names]
    first.photo = first.photo or nxt.photo
    first.span_start, first.span_end = min(first.span_start, nxt.span_start), max(first.span_end, nxt.span_end)
    del articles[i + 1]


def _move_paragraph(articles, i, c, page):
    article, paragraph = articles[i], c["paragraph"]
    to = i - 1 if c["direction"] == "previous" else i + 1
    if not 0 <= to < len(articles):
        raise NoLongerApplies(f"there is no {c['direction']} article")
    target = articles[to]
    if paragraph in target.paragraphs and paragraph not in article.paragraphs:
        return
    edge = 0 if to < i else -1
    if not article.paragraphs or article.paragraphs[edge] != paragraph or len(article.paragraphs) == 1:
        raise NoLongerApplies("the paragraph is no longer at that end of the article")
    article.paragraphs.pop(edge)
    target.corrected = True
    if to < i:
        target.paragraphs.append(paragraph)
    else:
        target.paragraphs.insert(0, paragraph)


def _mark_line(articles, i, c, page):
    article, line, kind = articles[i], c["line"], c["as"]
    if line not in article.paragraphs:
        if kind == "headline" and article.headline == line or kind == "byline" and article.byline == line:
            return
        raise NoLongerApplies("the line is no longer a paragraph of the article")
    k = article.paragraphs.index(line)
    if kind == "byline":
        article.paragraphs.pop(k)
        _byline(article, line)
    elif kind == "lead":
        article.lead = line
    elif kind == "headline":
        if k == 0:
            article.paragraphs.pop(0)
            article.headline, article.headline_derived = line, False
        else:
            _split(articles, i, {"at": line, "headline": line, "new_id": c.get("new_id")}, page)
            articles[i + 1].paragraphs.pop(0)
    else:
        raise NoLongerApplies(f"a line cannot be marked as {kind!r}")


def _place_key(places: gazetteer.Gazetteer, name: str) -> str:
    """The key of the place an editor named (by name, alias or key)."""
    if places.get(name) is not None:
        return name
    keys = places.keys_named(name)
    chosen = places.choose([keys])[0] if keys else ""
    if not chosen:
        raise NoLongerApplies(f"several places are called {name!r}: give the full name" if keys
                              else f"the archive knows no place called {name!r}")
    return chosen


def _entity(articles, i, c, page):
    article, name, kind = articles[i], c["name"], c["kind"]
    add = c["action"] == "add_entity"
    if kind == "person":
        names = [p.name for p in article.persons]
        if add and name not in names:
            article.persons.append(T.PersonRef(name, role=c.get("role") or T.MENTIONED))
        elif not add:
            article.persons = [p for p in article.persons if p.name != name]
            for role in BYLINE_LISTS:
                setattr(article, role, [n for n in getattr(article, role) if n != name])
            if article.interviewee and article.interviewee.name == name:
                article.interviewee = None
    elif kind == "organization":
        if add and name not in article.organizations:
            article.organizations.append(name)
        elif not add:
            article.organizations = [v for v in article.organizations if v != name]
    elif kind == "place":
        places = gazetteer.as_gazetteer(page.places)
        if add:
            key = _place_key(places, name)
            if article.place_weights:
                # A tagged source's places are weighed as printed; this one weighs as the
                # most printed one does (more would push the others out of `about`).
                article.place_weights[name] = max(article.place_weights.values())
            elif key not in article.districts:
                article.districts.append(key)
        else:
            keys = {name, *places.keys_named(name)}
            article.districts = [k for k in article.districts if k not in keys]
            # As printed: the name, its short form (张北 of 张北县), or another name of it.
            for printed in list(article.place_weights):
                if name.startswith(printed) or keys.intersection(places.keys_named(printed)):
                    del article.place_weights[printed]
    else:
        raise NoLongerApplies(f"unknown kind {kind!r}")


def _rename_person(articles, i, c, page):
    """The person printed as `before` is `after` in this article (a misread or cut name)."""
    article, before, after = articles[i], c["before"], c["after"]
    refs = [*article.persons, *([article.interviewee] if article.interviewee else [])]
    lists = [getattr(article, role) for role in BYLINE_LISTS]
    if not any(r.name == before for r in refs) and not any(before in names for names in lists):
        if any(r.name == after for r in refs) or any(after in names for names in lists):
            return  # done already (the parse reads the name right now)
        raise NoLongerApplies(f"the article no longer names {before!r}")
    for ref in refs:
        if ref.name == before:
            ref.name = after
    for names in lists:
        names[:] = list(dict.fromkeys(after if n == before else n for n in names))
    # One reference per name: renaming onto a name already there leaves one, with its titles.
    merged: dict[str, T.PersonRef] = {}
    for ref in article.persons:
        kept = merged.setdefault(ref.name, ref)
        if kept is not ref:
            kept.title = kept.title or ref.title
            kept.other_titles += [t for t in [ref.title, *ref.other_titles] if t and t != kept.title
                                  and t not in kept.other_titles]
    article.persons = list(merged.values())


def _confirm_headline(articles, i, c, page):
    if articles[i].headline != c["headline"]:
        raise NoLongerApplies(f"the headline now reads {articles[i].headline!r}")


TEXT_ACTIONS = {
    "edit_field": _edit_field,
    "edit_paragraph": _edit_paragraph,
    "split": _split,
    "merge_next": _merge_next,
    "move_paragraph": _move_paragraph,
    "mark_line": _mark_line,
}
ENTITY_ACTIONS = {
    "add_entity": _entity,
    "remove_entity": _entity,
    "confirm_headline": _confirm_headline,
    "rename_person": _rename_person,
}
ACTIONS = {**TEXT_ACTIONS, **ENTITY_ACTIONS}


def replay(page: T.ParsedPage, corrections: list[dict], raw: str = "", published=None,
           districts=(), entities=extract_page_entities) -> list[Outcome]:
    """Apply the corrections to the parse in place; say for each whether it still applies.

    `entities(articles, published, districts)` finds the articles' entities again after
    their text changed: the plain-text finder, or for a tagged source its own tags.
    """
    outcomes = []
    articles = page.articles
    context = Page(raw, districts)
    text_changed = False
    for group in (TEXT_ACTIONS, ENTITY_ACTIONS):
        if group is ENTITY_ACTIONS and text_changed:
            entities(articles, published, districts)
        for c in corrections:
            if c["action"] not in group:
                continue
            try:
                i = find(articles, c["anchor"])
                group[c["action"]](articles, i, c, context)
                if c.get("article_id"):
                    articles[i].article_id = c["article_id"]
                articles[i].corrected = True
                outcomes.append(Outcome(c["id"], True))
                text_changed = text_changed or group is TEXT_ACTIONS
            except NoLongerApplies as exc:
                outcomes.append(Outcome(c["id"], False, str(exc)))
    for position, article in enumerate(articles, 1):
        article.position = position
    return outcomes


def keep_ids(page: T.ParsedPage, undone: list[dict]) -> None:
    """Give an article back the id an undone correction took from it.

    The text an undone correction was made to is on the page again; but the stored
    article it was made to holds the corrected text (a paragraph moved away, two
    articles merged) and may be too unlike it to be matched by text. So the article
    most like the correction's `anchor` continues the correction's article, unless an
    article already does (a correction still in force said so). Newest first.
    """
    articles = page.articles
    for c in sorted(undone, key=lambda c: -c["id"]):
        if not c.get("article_id") or any(a.article_id == c["article_id"] for a in articles):
            continue
        free = [a for a in articles if a.article_id is None]
        try:
            free[find(free, c["anchor"])].article_id = c["article_id"]
        except NoLongerApplies:
            continue
