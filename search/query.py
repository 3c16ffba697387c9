"""From what a reader types to a whoosh query, and the search itself.

The rules are small, so that any input is safe:

* whitespace separates terms; every term must occur (AND);
* "quoted text" (also “…” and 「…」) is one term, spaces and all, matched exactly;
* -term and -"quoted text" exclude articles containing them;
* punctuation separates terms too (COVID-19 is COVID and 19), since the index
  never lets a phrase cross punctuation;
* AND/OR/NOT typed as words are dropped: terms are always ANDed.

How a term matches (field names are the ArticleIndex's):

* It must be in `grams`, the CJK-gram field: an unquoted term as an AND of its
  character pairs (中原科技城 → 中原 原科 科技 技城), a quoted one as a phrase of
  them. Either finds the string however jieba cut the text around it. The AND
  skips whoosh's span matching, which is pure Python: on 600 articles 国家中心城市
  took 80 ms as an AND and 214 ms as a phrase. In return an article holding every
  pair of a term but never the term itself also matches; that needs a term of four
  or more characters and is rare.
* Its jieba words in `text` and `headline` only add to the score (ANDMAYBE), so an
  article using the term as a word, or in its headline, ranks higher.

A term reaches whoosh either as letters, digits and CJK characters only (written
lowercase, so never an operator) or inside double quotes, where whoosh reads
nothing as syntax; no other character the reader types is ever passed on.

When the strict query finds nothing, `loose()` asks for the jieba words of each
unquoted term anywhere in the article (中原发展 → 中原 AND 发展).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from haystack.inputs import Raw
from haystack.query import SearchQuerySet

from search.analyzer import normalize, query_words

MAX_TERMS = 12
MAX_PARSE = 1000
MATCH_FIELD, RANK_FIELDS = "grams", ("text", "headline")
_QUOTED = re.compile(r'(-?)(?:"([^"]*)"|“([^”]*)”|「([^」]*)」)')
_QUOTE_CHARS = re.compile(r'["“”「」]')
# A term is made of CJK characters, letters and digits (3.5 stays whole); anything else separates.
_PIECE = re.compile(r"(?:\d+(?:\.\d+)?|[^\W\d_]+)+")  # classes disjoint: linear time
_PUNCTUATION = re.compile(r"(?:[^\w\s.]|_|(?<!\d)\.|\.(?!\d))+")
_OPERATORS = {"AND", "OR", "NOT", "&&", "||"}


@dataclass
class UserQuery:
    text: str
    terms: list[str] = field(default_factory=list)  # unquoted words and strings
    phrases: list[str] = field(default_factory=list)  # quoted, matched exactly
    excluded: list[str] = field(default_factory=list)
    excluded_phrases: list[str] = field(default_factory=list)

    @property
    def positive(self):
        return self.terms + self.phrases

    def __bool__(self):
        return bool(self.positive)

    def __len__(self):
        return len(self.positive) + len(self.excluded) + len(self.excluded_phrases)

    def whoosh(self) -> str:
        """The query in whoosh syntax (see the module docstring)."""
        parts = [_required(t, quoted=False) for t in self.terms]
        parts += [_required(p, quoted=True) for p in self.phrases]
        parts += [f"NOT {MATCH_FIELD}:({t.lower()})" for t in self.excluded]
        parts += [f'NOT {MATCH_FIELD}:"{p}"' for p in self.excluded_phrases]
        return "(" + " AND ".join(parts) + ")"

    def loose(self) -> "UserQuery | None":
        """The same query with unquoted terms cut into jieba words, or None if nothing changes."""
        words = [w for term in self.terms for w in (query_words(term) or [term])]
        if words == [t.lower() for t in self.terms]:
            return None
        return UserQuery(self.text, list(dict.fromkeys(words)), self.phrases, self.excluded, self.excluded_phrases)

    def highlight_terms(self) -> list[str]:
        return self.positive


def _required(term: str, quoted: bool) -> str:
    words = " ".join(w.lower() for w in _PIECE.findall(term))
    ranking = " OR ".join(f"{name}:({words})" for name in RANK_FIELDS)
    # The parser removed every double quote from a phrase, so it cannot close early.
    match = f'{MATCH_FIELD}:"{term}"' if quoted else f"{MATCH_FIELD}:({words})"
    return f"({match} ANDMAYBE ({ranking}))"


def parse(text: str) -> UserQuery:
    """Parse a reader's query; never raises. An empty result means there is nothing to search.

    The form refuses long queries; the cut here only bounds the work for other callers.
    """
    text = normalize((text or "")[:MAX_PARSE])
    query = UserQuery(text)
    for match in _QUOTED.finditer(text):
        negated, quoted = match.group(1), next(g for g in match.groups()[1:] if g is not None)
        target = query.excluded_phrases if negated else query.phrases
        # Punctuation inside quotes still separates: the index never matches across it.
        for piece in _PUNCTUATION.split(quoted):
            phrase = " ".join(piece.split())
            if _PIECE.search(phrase) and phrase not in target:
                target.append(phrase)
    rest = _QUOTE_CHARS.sub(" ", _QUOTED.sub(" ", text))  # an unbalanced quote is just a space
    for token in rest.split():
        if token in _OPERATORS:
            continue
        target = query.terms
        if token.startswith("-") and len(token) > 1:
            target, token = query.excluded, token[1:]
        target.extend(_PIECE.findall(token))
    query.terms = list(dict.fromkeys(query.terms))
    query.excluded = [t for t in dict.fromkeys(query.excluded) if t not in query.terms]
    return query


@dataclass
class Outcome:
    page: object  # a django Paginator page of haystack SearchResults, objects loaded
    query: UserQuery  # the query that produced the page (the loose one after a fallback)
    loose: bool = False

    @property
    def count(self):
        return self.page.paginator.count


def searchqueryset(query: UserQuery) -> SearchQuerySet:
    """Articles matching the query, best first; filter it further like any SearchQuerySet."""
    return SearchQuerySet().filter(content=Raw(query.whoosh())).load_all()


def paginate(sqs: SearchQuerySet, page_number, per_page: int):
    """A Paginator page that costs one search, not two.

    Paginator asks for the count and then the slice; for whoosh each is a full search.
    Asking for the slice first stores the count with it.
    """
    try:
        number = max(1, int(page_number))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    if not sqs[start:start + per_page]:
        # No results, or a page past the last (whoosh then reports 0 hits): count afresh.
        if number == 1 or not sqs._clone().count():
            return Paginator([], per_page).get_page(1)
        sqs = sqs._clone()
    return Paginator(sqs, per_page).get_page(number)


def search(query: UserQuery, page_number=1, per_page=20) -> Outcome:
    """One page of results; if the strict query finds nothing, the loose one's, flagged."""
    page = paginate(searchqueryset(query), page_number, per_page)
    loose = query.loose() if page.paginator.count == 0 else None
    if loose is not None:
        loose_page = paginate(searchqueryset(loose), page_number, per_page)
        if loose_page.paginator.count:
            return Outcome(loose_page, loose, loose=True)
    return Outcome(page, query)
