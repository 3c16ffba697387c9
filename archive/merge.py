"""Merging two person records and splitting a wrongly merged one (used by the admin).

The loader treats one name as one person; editors correct that here. Records are
moved with save()/delete(), not queryset.update(), so the search index queue
hears of every article whose people changed.
"""
from django.db import transaction

from archive.slugs import unique_slug
from archive.models import Person, PersonMention, Position


@transaction.atomic
def merge_persons(keep, others):
    """Move every mention and position of `others` to `keep`, then delete them.

    Two positions with the same title become one; two mentions of both people in
    one article with one role become one, keeping every title either printed.
    Returns a list of human-readable lines describing what moved.
    """
    log = []
    for other in others:
        if other.pk == keep.pk:
            continue
        for position in list(other.positions.all()):
            twin = keep.positions.filter(title=position.title).first()
            if twin is None:
                position.person = keep
                position.save()
            else:
                for m in position.mentions.all():
                    m.position = twin
                    m.save()
                position.delete()
        moved = 0
        for m in list(other.mentions.select_related("position")):
            dup = PersonMention.objects.filter(article_id=m.article_id, person=keep, role=m.role).first()
            if dup is None:
                m.person = keep
                m.save()
            else:
                titles = [t for t in [dup.title, m.title, *dup.other_titles.splitlines(), *m.other_titles.splitlines()] if t]
                titles = list(dict.fromkeys(titles))
                dup.title = titles[0] if titles else ""
                dup.other_titles = "\n".join(titles[1:])
                dup.position = dup.position or m.position
                dup.save()
                m.delete()
            moved += 1
        if other.note:
            keep.note = "\n".join(filter(None, [keep.note, other.note]))
        log.append(f"并入 {other.name}（#{other.pk}，{other.slug}）：{moved} 处提及")
        other.delete()
    keep.save()
    for position in keep.positions.all():
        position.refresh_seen()
    return log


@transaction.atomic
def split_person(person, mentions, name=None):
    """Move `mentions` of `person` to a new person and return it.

    A position goes with them if only they print it; one printed by mentions on
    both sides is copied, so each person keeps the titles their own articles show.
    """
    name = name or person.name
    new = Person.objects.create(name=name, slug=unique_slug(Person, name, allow_unicode=True))
    mentions = list(mentions)
    moving = {m.pk for m in mentions}
    titles = {t for m in mentions for t in [m.title, *m.other_titles.splitlines()] if t}
    for position in list(person.positions.filter(title__in=titles)):
        users = set(position.mentions_printing().values_list("pk", flat=True))
        if users <= moving:
            position.person = new
            position.save()
        else:
            copy = Position.objects.create(
                person=new, title=position.title,
                organization=position.organization, district=position.district,
            )
            for m in mentions:
                if m.position_id == position.pk:
                    m.position = copy
    for m in mentions:
        m.person = new
        m.save()
    for position in [*person.positions.all(), *new.positions.all()]:
        position.refresh_seen()
    return new
