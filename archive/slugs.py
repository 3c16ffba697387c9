"""Slugs for new records: unused ones in batches, and a page's from its file name alone."""
import hashlib

from django.db.models import Q
from django.utils.text import slugify


def unique_slug(model, base: str, allow_unicode=False) -> str:
    """One unused slug made from `base` (see fresh_slugs)."""
    return fresh_slugs(model, [slug_base(base, allow_unicode)])[0]


# Bases looked up per query when they clash: an OR of prefix tests per base, kept
# well inside SQLite's expression depth limit of 1000.
_CLASH_CHUNK = 200


def fresh_slugs(model, bases: list[str]) -> list[str]:
    """Unused slugs for a batch of new rows: base, else base-2, base-3, ...

    One query when nothing clashes, and one more per 200 clashing bases (however many
    of their numbered forms are taken), never one per taken candidate.
    """
    taken = set(model.objects.filter(slug__in=bases).values_list("slug", flat=True))
    seen, clashing = set(), set()
    for base in bases:
        if base in taken or base in seen:
            clashing.add(base)
        seen.add(base)
    clashing = sorted(clashing)
    for i in range(0, len(clashing), _CLASH_CHUNK):
        prefixes = Q()
        for base in clashing[i:i + _CLASH_CHUNK]:
            prefixes |= Q(slug__startswith=f"{base}-")
        taken.update(model.objects.filter(prefixes).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def page_slug(file_name: str) -> str:
    """A page's URL slug, from its file name alone (never from what was loaded before).

    Page URLs take ASCII slugs. A stem that is one already (000_c75f0280986175aa,
    19980101-01) is its own slug; any other is spelt in pinyin and gets a few hex
    digits of the file name's hash, so 郑州晚报A01.txt and 鄭州晚報A01.txt, or A01
    and a01, stay apart whichever is loaded first.
    """
    stem = file_name.rsplit(".", 1)[0]
    slug = slugify(stem)[:60]
    if slug == stem and slug:
        return slug
    from pypinyin import lazy_pinyin

    spelt = slugify("-".join(lazy_pinyin(stem)))[:50].strip("-_")
    digest = hashlib.sha1(file_name.encode("utf-8")).hexdigest()[:8]
    return f"{spelt}-{digest}" if spelt else f"page-{digest}"


def slug_base(name: str, allow_unicode=True) -> str:
    return slugify(name, allow_unicode=allow_unicode)[:60] or "x"
