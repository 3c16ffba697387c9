"""The names the archive knows (persons, organisations, districts) as search sees them.

* jieba's user dictionary: written to settings.JIEBA_USER_DICT after any commit
  that changed a name, and read by search.analyzer in every process, so 孙建功 and
  中原科技城 stay one token. Recall never depends on it (the gram field finds any
  string); it sharpens ranking and the jieba words used by the loose fallback.
* District names and aliases: a filter or a term naming a district in any of its
  printed forms (郑东, 东区, 鄭東新區) means that district.
* Related names, offered when a search finds nothing.
"""
from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from search.analyzer import CJK_CHAR, normalize


def known_names() -> list[str]:
    from archive.models import District, Organization, Person

    names = set(Person.objects.values_list("name", flat=True))
    names |= set(Organization.objects.values_list("name", flat=True))
    for district in District.objects.all():
        names.update(district.all_names())
    # jieba's dictionary format is one word a line: no spaces, and single characters add nothing.
    return sorted(n for n in (normalize(n.strip()) for n in names) if len(n) > 1 and not any(c.isspace() for c in n))


def write_user_dict() -> int:
    """Rewrite jieba's user dictionary from the database; returns the number of names."""
    path = getattr(settings, "JIEBA_USER_DICT", None)
    if not path:
        return 0
    path = Path(path)
    names = known_names()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text("".join(f"{n}\n" for n in names), encoding="utf-8")
    os.replace(tmp, path)  # readers see the old file or the new one, never half of one
    return len(names)


def names_changed(**kwargs):
    """Signal receiver: rewrite the dictionary once the current transaction commits."""
    # An ingest saves dozens of names in one transaction: one rewrite is enough. Looking
    # in the connection's own list (emptied on rollback) keeps a rolled-back transaction
    # from blocking later rewrites.
    pending = transaction.get_connection().run_on_commit
    if not any(entry[1] is _rewrite for entry in pending):
        transaction.on_commit(_rewrite)


def _rewrite():
    write_user_dict()


def resolve_district(text: str):
    """The District a name or alias (any script) stands for, or None."""
    from archive.models import District

    wanted = normalize((text or "").strip())
    if not wanted:
        return None
    # Every search asks this of each term: the database narrows it to the districts
    # that print the text at all (a month of People's Daily has 1,754 places), and
    # Python checks whole names and alias lines. Names are stored in simplified
    # characters (the ingest's gazetteer and the corpora are), so a query in
    # traditional characters matches once normalised.
    candidates = District.objects.filter(Q(name=wanted) | Q(aliases__contains=wanted))
    for district in candidates:
        if wanted in (normalize(n) for n in district.all_names()):
            return district
    return None


def related_names(terms, limit=6) -> list[str]:
    """Known names sharing two neighbouring characters with a term (孙建 → 孙建功), for suggestions."""
    from archive.models import District, Organization, Person

    pairs = {t[i:i + 2] for t in terms for i in range(len(t) - 1) if CJK_CHAR.match(t[i]) and CJK_CHAR.match(t[i + 1])}
    if not pairs:
        return []
    found = []
    for model in (Person, Organization, District):
        condition = Q()
        for pair in sorted(pairs):
            condition |= Q(name__contains=pair)
        found += model.objects.filter(condition).values_list("name", flat=True)[:limit]
    return [n for n in dict.fromkeys(found) if n not in terms][:limit]
