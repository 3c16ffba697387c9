"""From what a reader types to a whoosh query.

Syntax (any input is safe; what cannot be used is dropped with a note for the reader):

* whitespace separates terms; every term must occur (AND is implied, and may be typed);
* "quoted text" (also “…” and 「…」) is matched exactly, as a phrase;
* `a OR b` (also `|`) wants either; OR binds tighter than the implied AND;
* `-term`, `NOT term` exclude articles containing it;
* `headline:`, `person:`, `reporter:`, `district:`, `org:` restrict a term to the
  headline or to the names the archive recognised (district: takes an alias too);
* punctuation separates terms (COVID-19 is COVID and 19), since the index never
  lets a phrase cross punctuation; `*` and `?` are not wildcards (they would
  expand over the whole index) and are dropped.

How a term matches (field names are the ArticleIndex's):

* It must be in `grams`, the CJK-gram field: unquoted as an AND of its character
  pairs (中原科技城 → 中原 原科 科技 技城), quoted as a phrase of them. Either finds
  the string however jieba cut the text around it. The AND skips whoosh's span
  matching, which is pure Python (on 600 articles 国家中心城市 took 80 ms as an AND
  and 214 ms as a phrase); in return an article holding every pair of a term of
  four or more characters but never the term itself also matches, which is rare.
* Its jieba words in `text` and `headline` only add to the score (AndMaybe).
* A term that names a district (郑东新区, or an alias such as 郑东) also matches the
  articles the ingest assigned to that district (see `resolve`).

The whoosh query is built from query objects, never by parsing a string, so no
character a reader types can become whoosh syntax.

When the strict query finds nothing, `loose()` asks for the jieba words of each
unquoted term anywhere in the article (中原发展 → 中原 AND 发展).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from whoosh import query as wq

from search.analyzer import normalize, query_words

MAX_TERMS = 12
MAX_PARSE = 1000
MATCH_FIELD, RANK_FIELDS = "grams", ("text", "headline")
HEADLINE_MATCH_FIELD = "headline_grams"
# Query prefix -> index field holding whole names (one term per name).
NAME_FIELDS = {"person": "persons", "reporter": "reporters", "district": "districts", "org": "organizations"}
PREFIXES = {"headline", *NAME_FIELDS}
_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[A-Za-z]+)[:：])?'
    r'(?:"(?P<q1>[^"]*)"|“(?P<q2>[^”]*)”|「(?P<q3>[^」]*)」|(?P<bare>[^\s"“”「」]+))'
)
_QUOTE_CHARS = re.compile(r'["“”「」]')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# A term is made of CJK characters, letters and digits (3.5 stays whole); anything else separates.
_PIECE = re.compile(r"(?:\d+(?:\.\d+)?|[^\W\d_]+)+")  # classes disjoint: linear time
_PUNCTUATION = re.compile(r"(?:[^\w\s.]|_|(?<!\d)\.|\.(?!\d))+")
_OR, _AND, _NOT = {"OR", "||", "|"}, {"AND", "&&", "&", "+"}, {"NOT", "!"}


@dataclass
class Term:
    text: str
    quoted: bool = False
    field: str = ""  # "" (anywhere), "headline" or a NAME_FIELDS key
    district: str = ""  # set by resolve(): the district this text names
    aliases: tuple = ()  # ... and all its printed names, for highlighting


@dataclass
class Clause:
    alternatives: list[Term]  # any one of them (OR)
    negated: bool = False


@dataclass
class UserQuery:
    text: str
    clauses: list[Clause] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was dropped, for the reader

    def _plain(self, negated, quoted):
        return [t.text for c in self.clauses if c.negated == negated
                for t in c.alternatives if t.quoted == quoted and not t.field]

    @property
    def terms(self):
        """Unquoted words to find anywhere."""
        return self._plain(False, False)

    @property
    def phrases(self):
        return self._plain(False, True)

    @property
    def excluded(self):
        return self._plain(True, False)

    @property
    def excluded_phrases(self):
        return self._plain(True, True)

    @property
    def positive(self):
        return [t for c in self.clauses if not c.negated for t in c.alternatives]

    def __bool__(self):
        return bool(self.positive)

    def __len__(self):
        return sum(len(c.alternatives) for c in self.clauses)

    def whoosh(self, schema) -> wq.Query:
        """The query as whoosh query objects (see the module docstring)."""
        parts = []
        for clause in self.clauses:
            alternatives = [_match(t, schema, rank=not clause.negated) for t in clause.alternatives]
            node = alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)
            parts.append(wq.Not(node) if clause.negated else node)
        return wq.And(parts) if len(parts) > 1 else parts[0]

    def loose(self) -> "UserQuery | None":
        """The same query with unquoted terms cut into jieba words, or None if nothing changes."""
        clauses, changed = [], False
        for clause in self.clauses:
            (term,) = clause.alternatives if len(clause.alternatives) == 1 else (None,)
            if term is None or clause.negated or term.quoted or term.field or term.district:
                clauses.append(clause)
                continue
            words = query_words(term.text) or [term.text.lower()]
            changed |= words != [term.text.lower()]
            clauses += [Clause([Term(w)]) for w in dict.fromkeys(words)]
        return replace(self, clauses=clauses) if changed else None

    def highlight_terms(self) -> list[str]:
        """Strings to mark in snippets and on the article page."""
        out = []
        for term in self.positive:
            out += [term.text, *term.aliases]
        return list(dict.fromkeys(out))


def _analyzed(schema, fieldname, text):
    return [t.text for t in schema[fieldname].analyzer(text, mode="query")]


def _grams(schema, fieldname, text, quoted):
    words = _analyzed(schema, fieldname, text)
    if not words:
        return wq.NullQuery
    if len(words) == 1:
        return wq.Term(fieldname, words[0])
    if quoted:
        return wq.Phrase(fieldname, words)
    return wq.And([wq.Term(fieldname, w) for w in dict.fromkeys(words)])


def _match(term: Term, schema, rank=True) -> wq.Query:
    if term.field in NAME_FIELDS:
        return wq.Term(NAME_FIELDS[term.field], term.district or term.text)
    if term.field == "headline":
        return _grams(schema, HEADLINE_MATCH_FIELD, term.text, term.quoted)
    match = _grams(schema, MATCH_FIELD, term.text, term.quoted)
    if term.district:
        match = wq.Or([match, wq.Term(NAME_FIELDS["district"], term.district)])
    if not rank:
        return match
    ranking = [wq.Term(name, w) for name in RANK_FIELDS for w in dict.fromkeys(_analyzed(schema, name, term.text))]
    return wq.AndMaybe(match, wq.Or(ranking)) if ranking else match


def without_controls(text: str) -> str:
    """Control and invisible formatting characters as spaces (PostgreSQL refuses NUL outright)."""
    return _CONTROL.sub(" ", text)


def parse(text: str) -> UserQuery:
    """Parse a reader's query; never raises. An empty result means there is nothing to search.

    The form refuses long queries; the cut here only bounds the work for other callers.
    """
    text = (text or "")[:MAX_PARSE]
    query = UserQuery(text)
    if _CONTROL.search(text):
        text = without_controls(text)
        query.notes.append("已删除检索词中的控制字符。")
    text = normalize(text)
    if "*" in text or "?" in text or "？" in text:
        query.notes.append("不支持通配符 * 和 ?，已忽略；检索总是查找完整的字符串。")
    items, at, leftover = [], 0, []
    for match in _TOKEN.finditer(text):
        leftover.append(text[at:match.start()])
        at = match.end()
        items.append(_item(match))
    leftover.append(text[at:])
    if _QUOTE_CHARS.search("".join(leftover)):
        query.notes.append("引号不成对，已忽略多余的引号。")
    _build(query, items)
    return query


def _item(match):
    """("op", name) for an operator, else ("terms", [Term], negated)."""
    bare, prefix = match.group("bare"), (match.group("field") or "").lower()
    quoted = next((g for g in (match.group("q1"), match.group("q2"), match.group("q3")) if g is not None), None)
    negated = bool(match.group("neg"))
    if bare is not None and not negated and not match.group("field"):
        if bare in _OR or bare in _AND or bare in _NOT:
            return ("op", bare)
    if prefix and prefix not in PREFIXES:  # foo:bar is two words, as punctuation makes it
        bare = f"{match.group('field')} {quoted if quoted is not None else bare}"
        prefix, quoted = "", None
    if prefix in NAME_FIELDS:
        name = " ".join((quoted if quoted is not None else bare).split())
        name = _QUOTE_CHARS.sub("", name).strip("*?")
        return ("terms", [Term(name, field=prefix)] if name else [], negated)
    if quoted is not None:
        # Punctuation inside quotes still separates: the index never matches across it.
        pieces = [" ".join(p.split()) for p in _PUNCTUATION.split(quoted)]
        return ("terms", [Term(p, True, prefix) for p in pieces if _PIECE.search(p)], negated)
    return ("terms", [Term(p, False, prefix) for p in _PIECE.findall(bare)], negated)


def _build(query, items):
    pending_or = pending_not = lone = False
    seen = set()
    for item in items:
        if item[0] == "op":
            name = item[1]
            if name in _OR:
                lone |= pending_or or not query.clauses or query.clauses[-1].negated
                pending_or = bool(query.clauses) and not query.clauses[-1].negated
            elif name in _NOT:
                lone |= pending_not
                pending_not = True
            continue
        terms, negated = item[1], item[2] or pending_not
        if terms:
            pending_not = False
        for i, term in enumerate(terms):
            key = (term.text.lower(), term.quoted, term.field)
            if i == 0 and pending_or and not negated:
                if key not in seen:
                    query.clauses[-1].alternatives.append(term)
                    seen.add(key)
            elif (key, negated) not in seen and key not in seen:
                query.clauses.append(Clause([term], negated))
                seen.add((key, negated) if negated else key)
        if terms:
            pending_or = False
    if pending_or or pending_not or lone:
        query.notes.append("AND、OR、NOT 两边都要有检索词，多余的已忽略。")


def resolve(query: UserQuery) -> UserQuery:
    """Mark the terms that name a district (by name or alias), so they find its articles too."""
    from search.names import resolve_district

    for term in query.positive + [t for c in query.clauses if c.negated for t in c.alternatives]:
        if term.field in ("", "district") and not term.quoted:
            district = resolve_district(term.text)
            if district is not None:
                term.district = district.name
                term.aliases = tuple(district.all_names())
    return query
