"""The loader: the one place that writes archive records from parsed pages.

Each file is loaded in one transaction, so a failure leaves nothing half-written.
Loading is idempotent: the same bytes with the same metadata change nothing; a
changed file replaces that page's articles (permalinks, which are page slug plus
position, stay the same). Derived records (positions' first/last seen) are
recomputed for the people a load touched.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from archive.ingest import types as T
from archive.ingest.dates import PartialDate
from archive.ingest.parser import parse_page
from archive.ingest.source import PageMeta, SourceError, decode
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


class Loader:
    def __init__(self):
        # Admins edit aliases in the District table; the parser sees those edits.
        self.districts = {d.name: d for d in District.objects.all()}
        self.district_names = [
            DistrictNames(d.name, tuple(d.alias_list)) for d in self.districts.values()
        ]

    # -- public -------------------------------------------------------------

    def load(self, file_name: str, data: bytes, meta: PageMeta, force: bool = False) -> LoadResult:
        """Load one page's bytes. Raises SourceError (nothing written) if it cannot."""
        decoded = decode(data, file_name)
        checksum = hashlib.sha256(data).hexdigest()
        page = Page.objects.filter(file_name=file_name).first()
        if page and not force and page.checksum == checksum and self._same_meta(page, meta):
            return LoadResult(file_name, UNCHANGED, decoded.encoding, page.articles.count())

        parsed = parse_page(decoded.text, meta.published, self.district_names)
        if not parsed.articles:
            reason = "; ".join(parsed.warnings) or "no article text found"
            raise SourceError(f"{file_name}: {reason}")

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
        for parsed_article in parsed.articles:
            article = self._write_article(page, parsed_article, result, touched_persons)
            result.article_ids.append(article.id)
        result.articles = len(parsed.articles)
        self._refresh_positions(touched_persons)
        return result

    def _write_article(self, page, pa: T.ParsedArticle, result, touched_persons) -> Article:
        article = Article.objects.create(
            page=page,
            position=pa.position,
            headline=pa.headline[:300],
            headline_derived=pa.headline_derived,
            kicker=pa.kicker[:300],
            subheadline=pa.subheadline[:300],
            lead=pa.lead[:100],
            body=pa.body,
            kind=pa.kind,
            byline=pa.byline[:200],
            photo=pa.photo,
            span_start=pa.span_start,
            span_end=pa.span_end,
        )
        article.districts.set([self.districts[n] for n in pa.districts if n in self.districts])

        for ed in pa.event_dates:
            start = end = None
            precision = ""
            if ed.value:
                value = PartialDate.parse(ed.value)
                start, end, precision = value.start, value.end, value.precision
            EventDate.objects.create(
                article=article, text=ed.text[:40], date_start=start, date_end=end,
                date_precision=precision, approximate=ed.approximate,
            )

        people: list[T.PersonRef] = []
        people += [T.PersonRef(n, role=T.REPORTER) for n in pa.reporters]
        people += [T.PersonRef(n, role=T.CORRESPONDENT) for n in pa.correspondents]
        people += [T.PersonRef(n, role=T.PHOTOGRAPHER) for n in pa.photographers]
        if pa.interviewee:
            people.append(pa.interviewee)
        people += pa.persons
        seen = set()
        for ref in people:
            key = (ref.name, ref.role)
            if not ref.name or key in seen:
                continue
            seen.add(key)
            person = self._person(ref.name, result)
            touched_persons.add(person.id)
            position = None
            for i, title in enumerate([ref.title, *ref.other_titles]):
                if not title:
                    continue
                pos = self._position(person, title, ref, result)
                if i == 0:
                    position = pos
            PersonMention.objects.create(
                article=article, person=person, role=ref.role, title=ref.title[:200],
                other_titles="\n".join(ref.other_titles), position=position,
            )

        for name in dict.fromkeys(pa.organizations):
            if name:
                org = self._organization(name, result)
                OrganizationMention.objects.get_or_create(article=article, organization=org)
        return article

    def _person(self, name: str, result: LoadResult) -> Person:
        # Same name, same person until an editor splits them in admin.
        person = Person.objects.filter(name=name).order_by("id").first()
        if person is None:
            person = Person.objects.create(name=name, slug=unique_slug(Person, name, allow_unicode=True))
            result.persons_created += 1
        return person

    def _organization(self, name: str, result: LoadResult) -> Organization:
        org = Organization.objects.filter(name=name).first()
        if org is None:
            org = Organization.objects.create(
                name=name[:120],
                slug=unique_slug(Organization, name, allow_unicode=True),
                district=self._district_of(name),
            )
            result.organizations_created += 1
        return org

    def _district_of(self, name: str):
        for district in self.districts.values():
            if any(name.startswith(n) for n in district.all_names()):
                return district
        return None

    def _position(self, person, title, ref: T.PersonRef, result) -> Position:
        position = Position.objects.filter(person=person, title=title[:200]).first()
        if position is None:
            position = Position.objects.create(
                person=person,
                title=title[:200],
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
            sightings = (
                PersonMention.objects.filter(person_id=position.person_id)
                .filter(Q(position=position) | Q(other_titles__contains=position.title))
                .exclude(article__page__published_start=None)
                .values_list(
                    "article__page__published_start",
                    "article__page__published_end",
                    "article__page__published_precision",
                )
            )
            sightings = [s for s in sightings if s[0]]
            has_mentions = PersonMention.objects.filter(
                Q(position=position) | Q(person_id=position.person_id, other_titles__contains=position.title)
            ).exists()
            if not has_mentions:
                position.delete()
                continue
            if sightings:
                first = min(sightings, key=lambda s: (s[0], s[1] or s[0]))
                last = max(sightings, key=lambda s: (s[1] or s[0], s[0]))
                (position.first_seen_start, position.first_seen_end, position.first_seen_precision) = first
                (position.last_seen_start, position.last_seen_end, position.last_seen_precision) = last
            else:
                position.first_seen_start = position.first_seen_end = None
                position.last_seen_start = position.last_seen_end = None
                position.first_seen_precision = position.last_seen_precision = ""
            position.save()
        # People who were only derived from replaced text and that nobody annotated.
        Person.objects.filter(id__in=person_ids, mentions=None, positions=None, note="").delete()

    def _queue_index(self, result: LoadResult):
        from search.queue import enqueue_articles

        if result.deleted_article_ids:
            enqueue_articles(result.deleted_article_ids, delete=True)
        if result.article_ids:
            enqueue_articles(result.article_ids)
