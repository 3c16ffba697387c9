"""First and last seen of positions (a person's printed titles), recomputed from the pages.

A mixin of PositionQuerySet, apart because models.py is long; it reaches the mentions
through the app registry, as archive.querysets does, so imports run one way.
"""
from collections import defaultdict

from django.apps import apps


def _model(name):
    return apps.get_model("archive", name)


class PositionDates:
    def refresh_seen(self, reload=()):
        """Recompute these positions' first/last seen from the pages that print their titles
        (as a mention's title or among its other titles), in two reads and one write per
        distinct pair of dates among the changed ones; the old way was a read and a save per
        position. Returns the ids of the positions no mention prints any more. `reload`:
        instances of these positions to update in place too."""
        mentions = _model("PersonMention").objects
        positions = list(self)
        dates = ("article__page__published_start", "article__page__published_end",
                 "article__page__published_precision")
        # The mentions that print a title are Position.mentions_printing's (its own, or its
        # person's with the title among their other titles), read here for all positions in
        # two queries. Rows are (article, mention, start, end, precision); a mention may
        # print a title both ways.
        seen = defaultdict(dict)
        for position_id, *row in mentions.filter(position__in=self.values("pk")).values_list(
                "position_id", "article_id", "id", *dates):
            seen[position_id][row[1]] = tuple(row)
        by_person = defaultdict(list)
        for person_id, titles, *row in mentions.filter(
                person__in=self.values("person_id")).exclude(other_titles="").values_list(
                "person_id", "other_titles", "article_id", "id", *dates):
            by_person[person_id].append((titles, tuple(row)))
        changed, unprinted = defaultdict(list), set()
        fields = ["first_seen_start", "first_seen_end", "first_seen_precision",
                  "last_seen_start", "last_seen_end", "last_seen_precision"]
        for position in positions:
            own = seen[position.pk]
            rows = [*own.values(), *(row for titles, row in by_person[position.person_id]
                                     if row[1] not in own and position.title in titles)]
            if not rows:
                unprinted.add(position.pk)
            # In the order the mentions were written; pages of unknown date say nothing.
            sightings = [row[2:] for row in sorted(rows) if row[2]]
            empty = (None, None, "")
            first = min(sightings, key=lambda s: (s[0], s[1] or s[0])) if sightings else empty
            last = max(sightings, key=lambda s: (s[1] or s[0], s[0])) if sightings else empty
            before = [getattr(position, f) for f in fields]
            for instance in (position, *[r for r in reload if r.pk == position.pk]):
                (instance.first_seen_start, instance.first_seen_end, instance.first_seen_precision) = first
                (instance.last_seen_start, instance.last_seen_end, instance.last_seen_precision) = last
            if before != [*first, *last]:
                changed[first, last].append(position.pk)
        # One UPDATE per distinct pair of dates (a page's positions share them): bulk_update's
        # CASE over every row took 4 of the month's 32 s of loading.
        for (first, last), ids in changed.items():
            self.model.objects.filter(pk__in=ids).update(**dict(zip(fields, (*first, *last))))
        return unprinted
