"""The loader: the one place that writes archive records from parsed pages.

Each file is loaded in one transaction, so a failure leaves nothing half-written.
Loading is idempotent: the same bytes with the same metadata change nothing; a
changed file replaces that page's articles (permalinks, which are page slug plus
position, stay the same). Derived records (positions' first/last seen) are
recomputed for the people a load touched.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from archive import version
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
    pinyin_key,
)

CREATED, UPDATED, UNCHANGED = IngestRun.CREATED, IngestRun.UPDATED, IngestRun.UNCHANGED


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


@dataclass(frozen=True)
class DistrictNames:
    """What the parser needs of a district: its name and aliases (from the database)."""

    name: str
    aliases: tuple[str, ...]


@functools.cache
def max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def fit(model, field_name: str, value: str) -> str:
    """`value` cut to its column's length: derived text (a headline the parser found) may
    run long, and the page's raw text keeps every character of it anyway."""
    return value[: max_length(model, field_name)]


def unique_slug(model, base: str, allow_unicode=False, exclude_pk=None) -> str:
    base = slugify(base, allow_unicode=allow_unicode)[:60] or "x"
    slug, n = base, 1
    qs = model.objects.all()
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def fresh_slugs(model, bases: list[str]) -> list[str]:
    """Unused slugs for a batch of new rows, one query for the common case of no clash."""
    taken = set(model.objects.filter(slug__in=bases).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, n = base, 1
        while slug in taken or (n > 1 and model.objects.filter(slug=slug).exists()):
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _slug_base(name: str, allow_unicode=True) -> str:
    return slugify(name, allow_unicode=allow_unicode)[:60] or "x"


class Loader:
    """Writes parsed pages; one Loader serves one ingest run.

    It caches the ids of persons, organisations and districts by name, so a page
    costs a few bulk queries rather than several per name. The caches are dropped
    whenever a page's transaction fails (they may name rows the rollback removed).
    `create_places`: districts named by the source and not in the table become
    District rows (the PFR corpus tags its places; Zhengzhou pages name only the
    districts the table already knows).
    """

    def __init__(self, create_places: bool = False):
        self.create_places = create_places
        self._load_districts()
        self._person_ids: dict[str, int] = {}
        self._org_ids: dict[str, int] = {}

    def _load_districts(self):
        # Admins edit aliases in the District table; the parser sees those edits.
        self.districts = {d.name: d for d in District.objects.all()}
        self.district_names = [
            DistrictNames(d.name, tuple(d.alias_list)) for d in self.districts.values()
        ]
        self._district_by_alias = {}
        for district in self.districts.values():
            for alias in district.all_names():
                self._district_by_alias.setdefault(alias, district)

    def _forget(self):
        self._person_ids.clear()
        self._org_ids.clear()
        self._load_districts()

    # -- public -------------------------------------------------------------

    def load(self, file_name: str, data: bytes, meta: PageMeta, force: bool = False) -> LoadResult:
        """Load one page's bytes. Raises SourceError (nothing written) if it cannot."""
        decoded = decode(data, file_name)
        checksum, page, unchanged = self._existing(file_name, data, decoded, meta, force)
        if unchanged:
            return unchanged
        parsed = parse_page(decoded.text, meta.published, self.district_names)
        return self._store(file_name, data, decoded, checksum, meta, page, parsed)

    def load_parsed(self, file_name: str, data: bytes, decoded: Decoded, meta: PageMeta,
                    parsed: T.ParsedPage, force: bool = False) -> LoadResult:
        """Load a page that its source delivers already parsed (the tagged PFR corpus).

        Same rules as `load`: unchanged bytes and metadata are a no-op, one transaction.
        """
        checksum, page, unchanged = self._existing(file_name, data, decoded, meta, force)
        return unchanged or self._store(file_name, data, decoded, checksum, meta, page, parsed)

    def record_failure(self, file_name: str, message: str):
        """The audit row of a file that could not be loaded (nothing else was written)."""
        IngestRun.objects.create(file_name=file_name, status=IngestRun.FAILED, message=message)

    def _existing(self, file_name, data, decoded, meta, force):
        """The checksum, the stored page if any, and an UNCHANGED result when there is nothing to do."""
        checksum = hashlib.sha256(data).hexdigest()
        page = Page.objects.filter(file_name=file_name).first()
        if page and not force and page.checksum == checksum and self._same_meta(page, meta):
            return checksum, page, LoadResult(file_name, UNCHANGED, decoded.encoding, page.articles.count())
        return checksum, page, None

    def _store(self, file_name, data, decoded, checksum, meta, page, parsed) -> LoadResult:
        if not parsed.articles:
            reason = "; ".join(parsed.warnings) or "no article text found"
            raise SourceError(f"{file_name}: {reason}")
        try:
            with transaction.atomic():
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
            published_start=published.start if published else None,
            published_end=published.end if published else None,
            published_precision=published.precision if published else "",
        )
        deleted_ids: list[int] = []
        touched_persons: set[int] = set()
        if page is None:
            status = CREATED
            stem = file_name.rsplit(".", 1)[0]
            page = Page.objects.create(file_name=file_name, slug=unique_slug(Page, stem), **fields)
        else:
            status = UPDATED
            old = page.articles.all()
            deleted_ids = list(old.values_list("id", flat=True))
            touched_persons.update(
                PersonMention.objects.filter(article__page=page).values_list("person_id", flat=True)
            )
            old.delete()
            for name, value in fields.items():
                setattr(page, name, value)
            page.save()

        result = LoadResult(file_name, status, decoded.encoding, deleted_article_ids=deleted_ids)
        self._write_articles(page, parsed.articles, result, touched_persons)
        result.articles = len(parsed.articles)
        self._refresh_positions(touched_persons)
        return result

    def _write_articles(self, page, parsed_articles: list[T.ParsedArticle], result, touched_persons):
        """All of a page's articles and their mentions in a few bulk inserts, one per table."""
        articles = Article.objects.bulk_create([
            Article(
                page=page,
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
            )
            for pa in parsed_articles
        ])
        result.article_ids = [a.id for a in articles]
        pairs = list(zip(articles, parsed_articles))
        self._write_districts(pairs)
        self._write_event_dates(pairs)
        self._write_person_mentions(pairs, result, touched_persons)
        self._write_organization_mentions(pairs, result)

    def _write_districts(self, pairs):
        district_ids = self._district_ids({n for _, pa in pairs for n in pa.districts})
        Through = Article.districts.through
        Through.objects.bulk_create([
            Through(article_id=article.id, district_id=district_ids[n])
            for article, pa in pairs
            for n in dict.fromkeys(pa.districts) if n in district_ids
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
        mentions = []
        for article, refs in refs_by_article:
            for ref in refs:
                person_id = person_ids[ref.name]
                touched_persons.add(person_id)
                position = None
                for i, title in enumerate([ref.title, *ref.other_titles]):
                    if not title:
                        continue
                    pos = self._position(person_id, title, ref, result)
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
            new = [n for n in missing if n not in self._person_ids]
            if new:
                slugs = fresh_slugs(Person, [_slug_base(n) for n in new])
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
            new = [n for n in missing if n not in self._org_ids]
            if new:
                slugs = fresh_slugs(Organization, [_slug_base(n) for n in new])
                created = Organization.objects.bulk_create([
                    Organization(name=n, slug=slug, district=self._district_of(n))
                    for n, slug in zip(new, slugs)
                ])
                self._org_ids.update((o.name, o.id) for o in created)
                result.organizations_created += len(created)
        return {n: self._org_ids[n] for n in names}

    def _organization(self, name: str, result: LoadResult) -> Organization:
        return Organization.objects.get(pk=self._organization_ids([name], result)[fit(Organization, "name", name)])

    def _district_ids(self, names) -> dict[str, int]:
        """Ids of the named districts; new places become District rows if create_places."""
        new = sorted({fit(District, "name", n) for n in names} - self.districts.keys())
        if new and self.create_places:
            from pypinyin import lazy_pinyin

            # District URLs take ASCII slugs: pinyin (山西 and 陕西 both give shanxi, -2 apart).
            slugs = fresh_slugs(District, [_slug_base("-".join(lazy_pinyin(n)), False) for n in new])
            for district in District.objects.bulk_create([
                District(name=n, slug=slug, kind="地名", city="") for n, slug in zip(new, slugs)
            ]):
                self.districts[district.name] = district
                self._district_by_alias.setdefault(district.name, district)
        fitted = {n: fit(District, "name", n) for n in names}
        return {n: self.districts[f].id for n, f in fitted.items() if f in self.districts}

    def _district_of(self, name: str):
        """The district whose name or alias begins `name` (the longest such), or None."""
        for end in range(len(name), 0, -1):
            district = self._district_by_alias.get(name[:end])
            if district is not None:
                return district
        return None

    def _position(self, person_id, title, ref: T.PersonRef, result) -> Position:
        title = fit(Position, "title", title)
        position = Position.objects.filter(person_id=person_id, title=title).first()
        if position is None:
            position = Position.objects.create(
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
        for position in Position.objects.filter(person_id__in=person_ids):
            if not position.refresh_seen():
                position.delete()
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
