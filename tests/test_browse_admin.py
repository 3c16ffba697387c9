"""Admin merge and split of person records: what moves, what is kept, and what the history says."""
from datetime import date

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from archive.ingest import types as T
from archive.models import Person, PersonMention, Position
from tests.builders import make_article, make_page, make_person, mention

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:archive_person_changelist")


@pytest.fixture
def twins():
    """One official recorded twice: each record with its own article and title, and one shared title."""
    keep, other = make_person("孙建功", slug="keep"), make_person("孙建功", slug="other")
    a1 = make_article(headline="甲", page=make_page(published=(date(2023, 7, 1), date(2023, 7, 31), "month")))
    a2 = make_article(headline="乙", page=make_page(published=(date(2025, 7, 1), date(2025, 7, 31), "month")))
    mention(a1, keep, role=T.INTERVIEWEE, title="郑东新区党工委书记")
    mention(a2, other, role=T.INTERVIEWEE, title="郑东新区党工委书记")
    mention(a2, other, role=T.MENTIONED, title="中原科技城党工委书记")
    return keep, other


def merge(admin_client, keep, *people):
    return admin_client.post(CHANGELIST, {
        "action": "merge", ACTION_CHECKBOX_NAME: [p.pk for p in people], "keep": keep.pk,
    })


def test_merge_asks_which_record_to_keep(admin_client, twins):
    """Choosing merge without a kept record shows a confirmation page naming both records."""
    keep, other = twins
    response = admin_client.post(CHANGELIST, {"action": "merge", ACTION_CHECKBOX_NAME: [keep.pk, other.pk]})
    body = response.content.decode()
    assert response.status_code == 200
    for person in (keep, other):
        # A choice per record, named by its id and slug, with what it holds.
        assert f'name="keep" value="{person.pk}"' in body
        assert f"（#{person.pk}，{person.slug}）：{person.mentions.count()} 处提及" in body
    assert Person.objects.filter(pk__in=[keep.pk, other.pk]).count() == 2  # nothing merged yet


def test_merge_moves_every_mention_to_the_kept_person(admin_client, twins):
    """After a merge all mentions belong to the kept record and the other is gone."""
    keep, other = twins
    merge(admin_client, keep, keep, other)
    assert PersonMention.objects.filter(person=keep).count() == 3
    assert not Person.objects.filter(pk=other.pk).exists()


def test_merge_folds_a_shared_title_into_one_position_spanning_both(admin_client, twins):
    """The title both records carried becomes one position seen from 2023年7月 to 2025年7月."""
    keep, other = twins
    merge(admin_client, keep, keep, other)
    position = Position.objects.get(person=keep, title="郑东新区党工委书记")
    assert (position.first_seen_display, position.last_seen_display) == ("2023年7月", "2025年7月")


def test_merge_moves_a_title_only_the_other_had(admin_client, twins):
    """A position only the merged record had moves to the kept one."""
    keep, other = twins
    merge(admin_client, keep, keep, other)
    assert Position.objects.filter(person=keep, title="中原科技城党工委书记").exists()


def test_merge_is_logged_in_admin_history(admin_client, twins):
    """The kept record's history records the merge, and the removed one's its deletion."""
    keep, other = twins
    merge(admin_client, keep, keep, other)
    assert LogEntry.objects.filter(object_id=str(keep.pk), action_flag=CHANGE, change_message__contains="合并").exists()
    assert LogEntry.objects.filter(object_id=str(other.pk), action_flag=DELETION).exists()


def test_merge_of_one_record_changes_nothing(admin_client, twins):
    """Merging a single record is refused and leaves it as it was."""
    keep, _ = twins
    merge(admin_client, keep, keep)
    assert Person.objects.count() == 2


def split(admin_client, person, mentions, name="孙建功"):
    return admin_client.post(
        reverse("admin:archive_person_split", args=[person.pk]),
        {"name": name, "mentions": [m.pk for m in mentions]},
    )


def test_split_moves_the_chosen_mentions_to_a_new_person(admin_client, twins):
    """Splitting off one article's mentions gives a new person with exactly those mentions."""
    keep, other = twins
    merge(admin_client, keep, keep, other)
    moving = list(PersonMention.objects.filter(person=keep, article__headline="乙"))
    split(admin_client, keep, moving, name="孙建功（另一人）")
    new = Person.objects.get(name="孙建功（另一人）")
    assert set(new.mentions.values_list("pk", flat=True)) == {m.pk for m in moving}


def test_split_copies_a_title_both_sides_print_and_moves_one_only_the_moved_print(admin_client, twins):
    """Each side keeps the positions its own mentions print, with dates from its own pages."""
    keep, other = twins
    merge(admin_client, keep, keep, other)
    split(admin_client, keep, PersonMention.objects.filter(person=keep, article__headline="乙"), name="另一人")
    new = Person.objects.get(name="另一人")
    assert sorted(new.positions.values_list("title", flat=True)) == ["中原科技城党工委书记", "郑东新区党工委书记"]
    assert list(keep.positions.values_list("title", "last_seen_start")) == [("郑东新区党工委书记", date(2023, 7, 1))]


def test_split_refuses_to_move_every_mention(admin_client, twins):
    """Moving all of a person's mentions is not a split and is refused."""
    keep, _ = twins
    split(admin_client, keep, PersonMention.objects.filter(person=keep), name="另一人")
    assert not Person.objects.filter(name="另一人").exists()


def test_split_is_logged_on_both_records(admin_client, twins):
    """The split shows in the old record's history as a change and in the new one's as an addition."""
    _, other = twins
    split(admin_client, other, PersonMention.objects.filter(person=other, role=T.MENTIONED), name="另一人")
    new = Person.objects.get(name="另一人")
    assert LogEntry.objects.filter(object_id=str(other.pk), action_flag=CHANGE, change_message__contains="拆分").exists()
    assert LogEntry.objects.filter(object_id=str(new.pk), action_flag=ADDITION).exists()


def test_split_page_lists_the_persons_mentions(admin_client, twins):
    """The split form offers each of the person's mentions by article headline."""
    _, other = twins
    body = admin_client.get(reverse("admin:archive_person_split", args=[other.pk])).content.decode()
    assert body.count('name="mentions"') == 2 and "乙" in body


def test_the_change_form_links_to_split(admin_client, twins):
    """A person's admin page offers the split tool."""
    keep, _ = twins
    body = admin_client.get(reverse("admin:archive_person_change", args=[keep.pk])).content.decode()
    assert reverse("admin:archive_person_split", args=[keep.pk]) in body
