"""The loader: the one place that writes archive records from parsed pages.

Each file is loaded in one transaction, so a failure leaves nothing half-written.
Loading is idempotent: the same bytes with the same metadata change nothing. A
changed file (or a re-parse) replaces that page's articles, but an article whose
text is recognisably the same (archive.ingest.identity) keeps its record, id and
permalink number; one that vanished leaves a Tombstone whose URL redirects to the
article its text went into or answers 410. Registered revisers (the editor's desk)
revise a page's parse before it is written, so corrections outlive re-ingest.
Derived records (positions' first/last seen) are recomputed for the people a load
touched.
"""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F

from archive import version
from archive.ingest import gazetteer, identity, pfr
from archive.ingest import types as T
from archive.ingest.dates import PartialDate
from archive.ingest.parser import parse_page
from archive.ingest.source import Decoded, PageMeta, SourceError, decode
from archive.models import (
    Article,
    District,
    EventDate,
    IngestRun,
    Organization,
    OrganizationMention,
    Page,
    Person,
    PersonMention,
    Position,
    Tombstone,
    pinyin_key,
)
from archive.slugs import fresh_slugs, page_slug, slug_base

CREATED, UPDATED, UNCHANGED = IngestRun.CREATED, IngestRun.UPDATED, IngestRun.UNCHANGED
RACE_RETRIES = 5
# PostgreSQL's deadlock and serialization failures: two ingests inserting the same
# names in different orders; the transaction that lost may simply run again.
_RETRYABLE_SQLSTATES = {"40P01", "40001"}


def lost_race(exc: Exception) -> bool:
    """Whether a failed page transaction lost a race with another writer (and may be retried)."""
    if isinstance(exc, IntegrityError):
        return True
    return getattr(exc.__cause__, "sqlstate", None) in _RETRYABLE_SQLSTATES


def check_meta(file_name: str, meta: PageMeta):
    """Refuse metadata longer than its column: never cut what the operator wrote (nor let
    PostgreSQL abort the run with a DataError while SQLite would keep all of it)."""
    for name in ("newspaper", "section"):
        value, limit = getattr(meta, name), max_length(Page, name)
        if len(value) > limit:
            where = f" ({meta.source})" if meta.source else ""
            raise SourceError(
                f"{file_name}: the {name}{where} is {len(value)} characters long; "
                f"the archive keeps at most {limit}"
            )

# Functions (page, parsed, published, districts) -> ParsedPage, run on every parse of
# a stored page inside its transaction, before anything is written. The desk app
# registers the one that replays editors' corrections; archive knows nothing of it.
REVISERS: list = []


@dataclass
class LoadResult:
    file_name: str
    status: str
    encoding: str = ""
    articles: int = 0
    persons_created: int = 0
    organizations_created: int = 0
    article_ids: list[int] = field(default_factory=list)
    deleted_article_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def page_published(page: Page) -> PartialDate | None:
    if page.published_start is None:
        return None
    return PartialDate(page.published_start, page.published_end or page.published_start,
                       page.published_precision)


@functools.cache
def max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def fit(model, field_name: str, value: str) -> str:
    """`value` cut to its column's length: derived text (a headline the parser found) may
    run long, and the page's raw text keeps every character of it anyway."""
    return value[: max_length(model, field_name)]


_COUNTY_SUFFIXES = ("县", "市", "区", "旗")


class Loader:
    """Writes parsed pages; one Loader serves one ingest run.

    It caches the ids of persons, organisations and districts by name, so a page
    costs a few bulk queries rather than several per name. The caches are dropped
    whenever a page's transaction fails (they may name rows the rollback removed).
    Places come from the District table only: a place the source tags (the PFR
    corpus's `ns`) is filed under the table's place of that name or alias, and a
    name the table does not know (a river, a mis-tagged person) files nothing.
    """

    def __init__(self):
        self._load_districts()
        self._person_ids: dict[str, int] = {}
        self._org_ids: dict[str, int] = {}

    def _load_districts(self):
        # Admins edit aliases in the District table; the parser sees those edits.
        rows = list(District.objects.select_related("parent").order_by("level", "code", "pk"))
        self.districts = {d.slug: d for d in rows}
        self.places = gazetteer.Gazetteer(
            (gazetteer.Place(d.name, tuple(d.alias_list), d.slug, d.parent.slug if d.parent else "", d.level)
             for d in rows),
        )
        self.places.set_home(settings.BAOKU_HOME_REGION)
        self._district_by_alias = {}
        for district in sorted(rows, key=lambda d: len(self.places.ancestors(d.slug))):
            for alias in district.all_names():
                self._district_by_alias.setdefault(alias, district)

    def _forget(self):
        self._person_ids.clear()
        self._org_ids.clear()
        self._load_districts()

    # -- public -------------------------------------------------------------

    def load(self, file_name: str, data: bytes, meta: PageMeta, force: bool = False,
             read: Callable[[], tuple[Decoded, T.ParsedPage]] | None = None) -> LoadResult:
        """Load one page's bytes. Raises SourceError (nothing written) if it cannot.

        `read`, if given, returns the page decoded and parsed (archive.ingest.ahead: by
        another process, with this loader's places) and raises what decoding raises.
        """
        check_meta(file_name, meta)
        if read is not None:
            decoded, parsed = read()
        else:
            decoded, parsed = decode(data, file_name), None
        looked = self._existing(file_name, data, decoded, meta, force)
        if looked[2]:
            return looked[2]
        if parsed is None:
            parsed = parse_page(decoded.text, meta.published, self.places)
        return self._store_fresh(file_name, data, decoded, meta, force, parsed, looked)

    def unchanged(self, file_name: str, data: bytes, meta: PageMeta, force: bool = False) -> bool:
        """Whether `load` would find this page stored as it is (and so not parse it)."""
        return self._stored(file_name, data, meta, force)[2]

    def reload(self, page: Page) -> LoadResult:
        """Parse a stored page's own bytes again and store the result (after a correction)."""
        meta = PageMeta(
            newspaper=page.newspaper, section=page.section, note=page.note,
            published=page_published(page), not_persons=frozenset(page.not_persons),
        )
        data = bytes(page.raw_bytes)
        if page.is_tagged:
            # A tagged-corpus page arrives parsed: its own lines are read again as the corpus was.
            try:
                pfr_page = pfr.read_page(data, page.published_start, page.note, meta.not_persons)
            except SourceError as exc:
                raise SourceError(f"{page.file_name}: {exc}") from None
            meta.source = pfr_page.meta.source
            return self.load_parsed(page.file_name, data, Decoded(pfr_page.text, pfr_page.encoding), meta,
                                    pfr_page.parsed, force=True)
        return self.load(page.file_name, data, meta, force=True)

    def load_parsed(self, file_name: str, data: bytes, decoded: Decoded, meta: PageMeta,
                    parsed: T.ParsedPage, force: bool = False) -> LoadResult:
        """Load a page that its source delivers already parsed (the tagged PFR corpus).

        Same rules as `load`: unchanged bytes and metadata are a no-op, one transaction.
        """
        check_meta(file_name, meta)
        looked = self._existing(file_name, data, decoded, meta, force)
        return looked[2] or self._store_fresh(file_name, data, decoded, meta, force, parsed, looked)

    def record_failure(self, file_name: str, message: str):
        """The audit row of a file that could not be loaded (nothing else was written)."""
        IngestRun.objects.create(file_name=file_name, status=IngestRun.FAILED, message=message)

    def _existing(self, file_name, data, decoded, meta, force):
        """The checksum, the stored page if any, and an UNCHANGED result when there is nothing to do."""
        checksum, page, same = self._stored(file_name, data, meta, force)
        if same:
            return checksum, page, LoadResult(file_name, UNCHANGED, decoded.encoding, page.articles.count())
        return checksum, page, None

    def _stored(self, file_name, data, meta, force):
        """The checksum, the stored page if any, and whether it is stored as it is."""
        checksum = hashlib.sha256(data).hexdigest()
        page = Page.objects.filter(file_name=file_name).first()
        same = bool(page and not force and page.checksum == checksum and self._same_meta(page, meta))
        return checksum, page, same

    def _store_fresh(self, file_name, data, decoded, meta, force, parsed, looked) -> LoadResult:
        """_store, looking at the page again if another ingest wrote it (or a name on it) first.

        Two ingests of one folder, or of two folders naming the same people, may both
        find a page or a person missing and both insert it: the unique constraints make
        the later transaction fail as a whole, and the next look finds what the other
        one committed (an unchanged page, an existing person).
        """
        for attempt in range(1, RACE_RETRIES + 1):
            checksum, page, unchanged = looked
            if unchanged:
                return unchanged
            try:
                return self._store(file_name, data, decoded, checksum, meta, page, parsed)
            except (IntegrityError, OperationalError) as exc:
                if attempt == RACE_RETRIES or not lost_race(exc):
                    raise
            looked = self._existing(file_name, data, decoded, meta, force)
        raise AssertionError("unreachable")

    def _store(self, file_name, data, decoded, checksum, meta, page, parsed) -> LoadResult:
        if not parsed.articles:
            reason = "; ".join(parsed.warnings) or "no article text found"
            raise SourceError(f"{file_name}: {reason}")
        try:
            with transaction.atomic():
                if page is not None:
                    for revise in REVISERS:
                        parsed = revise(page, parsed, meta.published, self.places)
                result = self._write(file_name, data, decoded, checksum, meta, page, parsed)
                result.warnings = list(parsed.warnings)
                IngestRun.objects.create(
                    file_name=file_name,
                    status=result.status,
                    encoding=decoded.encoding,
                    articles=result.articles,
                    message="; ".join(parsed.warnings),
                )
                # Queued in the same transaction as the page, so the index can never
                # miss a committed page (the queue is drained after commit).
                self._queue_index(result)
                # The page caches learn of this page here, in its transaction, so they see
                # it exactly when it commits; its bulk inserts send no signals of their own.
                version.bump()
        except BaseException:
            self._forget()
            raise
        return result

    # -- writing --------------------------------------------------------------

    @staticmethod
    def _same_meta(page: Page, meta: PageMeta) -> bool:
        published = meta.published
        return (
            page.newspaper == meta.newspaper
            and page.section == meta.section
            and page.note == meta.note
            and page.published_start == (published.start if published else None)
            and page.published_end == (published.end if published else None)
            and (published is None or page.published_precision == published.precision)
        )

    def _write(self, file_name, data, decoded, checksum, meta, page, parsed) -> LoadResult:
        published = meta.published
        fields = dict(
            checksum=checksum,
            encoding=decoded.encoding,
            raw_bytes=data,
            raw_text=decoded.text,
            newspaper=meta.newspaper,
            section=meta.section,
            note=meta.note,
            not_persons=sorted(meta.not_persons),
            published_start=published.start if published else None,
            published_end=published.end if published else None,
            published_precision=published.precision if published else "",
        )
        touched_persons: set[int] = set()
        if page is None:
            status = CREATED
            page = Page.objects.create(file_name=file_name, slug=fresh_slugs(Page, [page_slug(file_name)])[0],
                                       **fields)
        else:
            status = UPDATED
            touched_persons.update(
                PersonMention.objects.filter(article__page=page).values_list("person_id", flat=True)
            )
            for name, value in fields.items():
                setattr(page, name, value)
            page.save()

        result = LoadResult(file_name, status, decoded.encoding)
        self._write_articles(page, parsed.articles, result, touched_persons)
        result.articles = len(parsed.articles)
        self._refresh_positions(touched_persons)
        return result

    @staticmethod
    def _article_fields(pa: T.ParsedArticle) -> dict:
        return dict(
            position=pa.position,
            headline=fit(Article, "headline", pa.headline),
            headline_derived=pa.headline_derived,
            kicker=fit(Article, "kicker", pa.kicker),
            subheadline=fit(Article, "subheadline", pa.subheadline),
            lead=fit(Article, "lead", pa.lead),
            body=pa.body,
            kind=pa.kind,
            byline=fit(Article, "byline", pa.byline),
            photo=pa.photo,
            span_start=pa.span_start,
            span_end=pa.span_end,
            corrected=pa.corrected,
        )

    def _place_articles(self, page, parsed_articles: list[T.ParsedArticle], result) -> list[Article]:
        """The article rows for a page's parse, in its order, with no mentions left on them.

        A stored article that a new one continues is updated in place (id and number
        kept); the others are deleted and leave a Tombstone; a new article that is a
        tombstone's text come back takes back its id and number.
        """
        fields = [self._article_fields(pa) for pa in parsed_articles]
        stored = list(page.articles.only("id", "number", "headline", "body"))
        tombstones = {t.former_id: t for t in page.tombstones.all()}
        if not stored and not tombstones:
            return Article.objects.bulk_create([
                Article(page=page, number=pa.position, **f) for pa, f in zip(parsed_articles, fields)
            ])
        matching = identity.match(
            [identity.Old(a.id, a.number, identity.fingerprint(a.headline, a.body)) for a in stored]
            + [identity.Old(t.former_id, t.number, identity.fingerprint(t.headline, t.body), vanished=True)
               for t in tombstones.values()],
            [identity.fingerprint(f["headline"], f["body"]) for f in fields],
            {i: pa.article_id for i, pa in enumerate(parsed_articles) if pa.article_id},
        )
        by_id = {a.id: a for a in stored}
        kept = [o.key for o in matching.continues if o is not None and not o.vanished]
        gone = [(by_id[o.key], index) for o, index in matching.gone]
        gone_ids = [a.id for a, _ in gone]
        # Tombstones that point at an article about to go follow it to its successor.
        followers = list(Tombstone.objects.filter(successor_id__in=gone_ids).values_list("id", "successor_id"))
        for model in (PersonMention, OrganizationMention, EventDate):
            model.objects.filter(article_id__in=kept).delete()
        Article.districts.through.objects.filter(article_id__in=kept).delete()
        Article.objects.filter(id__in=gone_ids).delete()
        result.deleted_article_ids = gone_ids
        Tombstone.objects.filter(
            former_id__in=[o.key for o in matching.continues if o is not None and o.vanished], page=page
        ).delete()
        # Out of the way of the positions they are about to take (page + position is unique).
        Article.objects.filter(id__in=kept).update(position=F("position") + 1_000_000)

        next_number = max([a.number for a in stored] + [t.number for t in tombstones.values()]) + 1
        articles, updates, creates = [], [], []
        for o, f in zip(matching.continues, fields):
            if o is None:
                article = Article(page=page, number=next_number, **f)
                next_number += 1
                creates.append(article)
            elif o.vanished:
                article = Article(id=o.key, page=page, number=o.number, **f)
                creates.append(article)
            else:
                article = by_id[o.key]
                for name, value in f.items():
                    setattr(article, name, value)
                updates.append(article)
            articles.append(article)
        Article.objects.bulk_update(updates, list(fields[0]) if fields else ["position"])
        Article.objects.bulk_create(creates)

        successor_of = {a.id: (articles[i] if i is not None else None) for a, i in gone}
        Tombstone.objects.bulk_create([
            Tombstone(page=page, number=a.number, former_id=a.id, headline=a.headline, body=a.body,
                      successor=successor_of[a.id])
            for a, _ in gone
        ])
        for tombstone_id, old_successor in followers:
            Tombstone.objects.filter(id=tombstone_id).update(successor=successor_of[old_successor])
        return articles

    def _write_articles(self, page, parsed_articles: list[T.ParsedArticle], result, touched_persons):
        """All of a page's articles and their mentions in a few bulk inserts, one per table."""
        articles = self._place_articles(page, parsed_articles, result)
        result.article_ids = [a.id for a in articles]
        pairs = list(zip(articles, parsed_articles))
        self._write_districts(pairs)
        self._write_event_dates(pairs)
        self._write_person_mentions(pairs, result, touched_persons)
        self._write_organization_mentions(pairs, result)

    def _write_districts(self, pairs):
        Through = Article.districts.through
        Through.objects.bulk_create([
            Through(article_id=article.id, district_id=self.districts[key].id)
            for article, pa in pairs
            for key in dict.fromkeys(self._place_keys(pa)) if key in self.districts
        ])

    @staticmethod
    def _write_event_dates(pairs):
        event_dates = []
        for article, pa in pairs:
            for ed in pa.event_dates:
                start = end = None
                precision = ""
                if ed.value:
                    value = PartialDate.parse(ed.value)
                    start, end, precision = value.start, value.end, value.precision
                event_dates.append(EventDate(
                    article=article, text=fit(EventDate, "text", ed.text), date_start=start,
                    date_end=end, date_precision=precision, approximate=ed.approximate,
                ))
        EventDate.objects.bulk_create(event_dates)

    def _write_person_mentions(self, pairs, result, touched_persons):
        refs_by_article = [(article, self._people(pa)) for article, pa in pairs]
        person_ids = self._person_ids_for({ref.name for _, refs in refs_by_article for ref in refs}, result)
        titled = {person_ids[ref.name] for _, refs in refs_by_article for ref in refs if ref.title or ref.other_titles}
        # The titled people's positions in one read, not one query a title.
        positions = {(p.person_id, p.title): p for p in Position.objects.filter(person_id__in=titled)}
        mentions = []
        for article, refs in refs_by_article:
            for ref in refs:
                person_id = person_ids[ref.name]
                touched_persons.add(person_id)
                position = None
                for i, title in enumerate([ref.title, *ref.other_titles]):
                    if not title:
                        continue
                    pos = self._position(person_id, title, ref, result, positions)
                    if i == 0:
                        position = pos
                mentions.append(PersonMention(
                    article=article, person_id=person_id, role=ref.role,
                    title=fit(PersonMention, "title", ref.title),
                    other_titles="\n".join(ref.other_titles), position=position,
                ))
        PersonMention.objects.bulk_create(mentions)

    def _write_organization_mentions(self, pairs, result):
        org_names = {n: None for _, pa in pairs for n in pa.organizations if n}
        org_ids = self._organization_ids(org_names, result)
        OrganizationMention.objects.bulk_create([
            OrganizationMention(article=article, organization_id=org_ids[name])
            for article, pa in pairs
            for name in dict.fromkeys(fit(Organization, "name", n) for n in pa.organizations if n)
        ])

    @staticmethod
    def _people(pa: T.ParsedArticle) -> list[T.PersonRef]:
        """Bylines first, then the people named; each (name, role) once."""
        people: list[T.PersonRef] = []
        people += [T.PersonRef(n, role=T.REPORTER) for n in pa.reporters]
        people += [T.PersonRef(n, role=T.CORRESPONDENT) for n in pa.correspondents]
        people += [T.PersonRef(n, role=T.PHOTOGRAPHER) for n in pa.photographers]
        if pa.interviewee:
            people.append(pa.interviewee)
        people += pa.persons
        seen, unique = set(), []
        for ref in people:
            key = (ref.name, ref.role)
            if ref.name and key not in seen:
                seen.add(key)
                unique.append(ref)
        return unique

    def _person_ids_for(self, names, result: LoadResult) -> dict[str, int]:
        # Same name, same person until an editor splits them in admin (the oldest row wins).
        missing = [n for n in names if n not in self._person_ids]
        if missing:
            for name, pk in (Person.objects.filter(name__in=missing).order_by("-id")
                             .values_list("name", "id")):
                self._person_ids[name] = pk
            new = sorted(n for n in missing if n not in self._person_ids)
            if new:
                slugs = fresh_slugs(Person, [slug_base(n) for n in new])
                # bulk_create skips Person.save, which fills sort_name: fill it here.
                created = Person.objects.bulk_create([
                    Person(name=n, slug=slug, sort_name=pinyin_key(n)) for n, slug in zip(new, slugs)
                ])
                self._person_ids.update((p.name, p.id) for p in created)
                result.persons_created += len(created)
        return {n: self._person_ids[n] for n in names}

    def _organization_ids(self, names, result: LoadResult) -> dict[str, int]:
        names = list(dict.fromkeys(fit(Organization, "name", n) for n in names))
        missing = [n for n in names if n not in self._org_ids]
        if missing:
            self._org_ids.update(Organization.objects.filter(name__in=missing).values_list("name", "id"))
            new = sorted(n for n in missing if n not in self._org_ids)
            if new:
                slugs = fresh_slugs(Organization, [slug_base(n) for n in new])
                created = Organization.objects.bulk_create([
                    Organization(name=n, slug=slug, district=self._district_of(n))
                    for n, slug in zip(new, slugs)
                ])
                self._org_ids.update((o.name, o.id) for o in created)
                result.organizations_created += len(created)
        return {n: self._org_ids[n] for n in names}

    def _organization(self, name: str, result: LoadResult) -> Organization:
        return Organization.objects.get(pk=self._organization_ids([name], result)[fit(Organization, "name", name)])

    def _tagged_places(self, printed) -> list[tuple[str, tuple[str, ...]]]:
        """(name, candidate keys) of the names a source tagged as places.

        A name the table knows is its places (a county printed short only as
        `Gazetteer.confirm` allows). A tagged 张北 may be 张北县, but only where the article
        names the province or city it lies in, home region or not: 江南, 三峡, 东海 and 中原
        are regions, gorges, seas and plains far more often than 江南区 or 中原区.
        """
        known = [(name, self.places.keys_named(name)) for name in printed]
        confirmed = self.places.confirm(known)
        areas = {k for keys in confirmed for k in keys
                 if self.places.get(k).level in (gazetteer.PROVINCE, gazetteer.CITY)}
        found = []
        for (name, keys), kept in zip(known, confirmed):
            if not keys:
                restored = next((keys for suffix in _COUNTY_SUFFIXES
                                 if (keys := self.places.keys_named(name + suffix))), ())
                kept = tuple(k for k in restored if areas.intersection(self.places.ancestors(k)))
            if kept:
                found.append((name, kept))
        return found

    def _place_keys(self, pa: T.ParsedArticle) -> list[str]:
        """The places an article is filed under: the parser's keys, or for a source that
        tags its places as printed (`place_weights`), those the table knows."""
        if not pa.place_weights:
            return pa.districts
        printed = self._tagged_places(pa.place_weights)
        chosen = self.places.choose([keys for _, keys in printed])
        score: dict[str, int] = {}
        first: dict[str, int] = {}
        for order, ((name, _), key) in enumerate(zip(printed, chosen)):
            if key:
                score[key] = score.get(key, 0) + pa.place_weights[name]
                first.setdefault(key, order)
        return self.places.about(score, first)

    def _district_of(self, name: str):
        """The district whose name or alias begins `name` (the longest such), or None."""
        for end in range(len(name), 0, -1):
            district = self._district_by_alias.get(name[:end])
            if district is not None:
                return district
        return None

    def _position(self, person_id, title, ref: T.PersonRef, result, positions) -> Position:
        """The person's position of this title from `positions` ((person id, title) ->
        Position), created and added there if it is new."""
        title = fit(Position, "title", title)
        position = positions.get((person_id, title))
        if position is None:
            position = positions[person_id, title] = Position.objects.create(
                person_id=person_id,
                title=title,
                organization=self._organization(ref.organization, result) if ref.organization else None,
                district=self.districts.get(ref.district) or self._district_of(title),
            )
        return position

    # -- derived records ---------------------------------------------------------

    def _refresh_positions(self, person_ids):
        """Recompute first/last seen of the touched people's positions from the pages.

        A position no page prints any more was derived from text that is gone, so it goes.
        """
        unprinted = Position.objects.filter(person_id__in=person_ids).refresh_seen()
        if unprinted:
            Position.objects.filter(pk__in=unprinted).delete()
        # People who were only derived from replaced text and that nobody annotated.
        orphans = Person.objects.filter(id__in=person_ids, mentions=None, positions=None, note="")
        gone = set(orphans.values_list("id", flat=True))
        if gone:
            orphans.filter(id__in=gone).delete()
            self._person_ids = {n: pk for n, pk in self._person_ids.items() if pk not in gone}

    def _queue_index(self, result: LoadResult):
        from search.queue import enqueue_articles

        if result.deleted_article_ids:
            enqueue_articles(result.deleted_article_ids, delete=True)
        if result.article_ids:
            enqueue_articles(result.article_ids)
