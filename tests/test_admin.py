"""The admin: every model's list and form render for a superuser, and nothing renders without a login."""
from datetime import date

import pytest
from django.urls import reverse

from archive.ingest import types as T
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
from tests.builders import make_article, make_org, make_page, make_person, mention

pytestmark = pytest.mark.django_db

MODELS = [Page, Article, EventDate, District, Person, Organization, Position, PersonMention,
          OrganizationMention, IngestRun]


@pytest.fixture
def records():
    """One of everything, linked the way the loader links them."""
    page = make_page(text="<script>x()</script> 正文")
    article = make_article(page=page, districts=["郑东新区"], span_start=0, span_end=10)
    org = make_org("郑东新区管委会", district=District.objects.get(name="郑东新区"))
    mention(article, make_person("孙建功"), role=T.INTERVIEWEE, title="郑东新区党工委书记")
    OrganizationMention.objects.create(article=article, organization=org)
    EventDate.objects.create(article=article, text="7月18日", date_start=date(2020, 7, 18),
                             date_end=date(2020, 7, 18), date_precision="day")
    IngestRun.objects.create(file_name=page.file_name, status=IngestRun.CREATED, articles=1)
    return article


def admin_url(model, view, *args):
    return reverse(f"admin:archive_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_renders(admin_client, records, model):
    """Each model's change list renders for a superuser."""
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_form_renders(admin_client, records, model):
    """Each model's change form renders for a superuser."""
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_search_works(admin_client, records, model):
    """Searching each change list finds the one record whose searched fields hold the word, and no other."""
    word = "甲乙丙"
    article = make_article(page=make_page(file_name=f"{word}.txt"), headline=word)
    person, org = make_person(word), make_org(f"{word}公司")
    mention(article, person, role=T.MENTIONED, title=f"{word}局长")
    OrganizationMention.objects.create(article=article, organization=org)
    targets = {
        Page: article.page, Article: article, Person: person, Organization: org,
        EventDate: EventDate.objects.create(article=article, text=f"{word}日"),
        District: District.objects.create(name=f"{word}区", slug="jiayibing"),
        Position: person.positions.get(), PersonMention: article.person_mentions.get(),
        OrganizationMention: article.organization_mentions.get(),
        IngestRun: IngestRun.objects.create(file_name=f"{word}.txt", status=IngestRun.CREATED),
    }
    assert model.objects.count() > 1
    response = admin_client.get(admin_url(model, "changelist"), {"q": word})
    assert [obj.pk for obj in response.context["cl"].result_list] == [targets[model].pk]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_requires_login(client, records, model):
    """Without a login, the admin redirects to its login page."""
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_page_form_shows_raw_text_escaped_and_read_only(admin_client, records):
    """The page form shows the raw text (escaped) and offers no field for the text or bytes."""
    body = admin_client.get(admin_url(Page, "change", records.page.pk)).content.decode()
    assert "&lt;script&gt;x()&lt;/script&gt;" in body
    assert 'name="raw_text"' not in body and 'name="raw_bytes"' not in body


def test_article_form_has_mention_and_date_inlines(admin_client, records):
    """The article form edits person mentions, organisation mentions and event dates inline."""
    body = admin_client.get(admin_url(Article, "change", records.pk)).content.decode()
    for prefix in ("person_mentions-", "organization_mentions-", "event_dates-"):
        assert f'name="{prefix}TOTAL_FORMS"' in body


def test_person_form_has_position_inline(admin_client, records):
    """The person form lists the person's positions inline."""
    person = Person.objects.get(name="孙建功")
    body = admin_client.get(admin_url(Person, "change", person.pk)).content.decode()
    assert 'name="positions-TOTAL_FORMS"' in body and "郑东新区党工委书记" in body


def test_person_autocomplete_answers(admin_client, records):
    """Linked persons are chosen by autocomplete, which finds them by name."""
    response = admin_client.get(reverse("admin:autocomplete"), {
        "app_label": "archive", "model_name": "personmention", "field_name": "person", "term": "孙",
    })
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["孙建功"]


def test_ingest_runs_are_read_only(admin_client, records):
    """Import runs cannot be added, changed or deleted in the admin."""
    run = IngestRun.objects.get()
    assert admin_client.get(admin_url(IngestRun, "add")).status_code == 403
    assert admin_client.get(admin_url(IngestRun, "delete", run.pk)).status_code == 403
    body = admin_client.get(admin_url(IngestRun, "change", run.pk)).content.decode()
    assert 'name="_save"' not in body


def test_saving_an_article_goes_through_the_model(admin_client, records):
    """Saving the article form changes the article (so model signals fire)."""
    form = admin_client.get(admin_url(Article, "change", records.pk)).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(page=records.page.pk, districts=[d.pk for d in records.districts.all()],
                headline="改过的标题", body=records.body, position=records.position, kind=records.kind)
    for prefix in ("person_mentions", "organization_mentions", "event_dates"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = admin_client.post(admin_url(Article, "change", records.pk), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    records.refresh_from_db()
    assert records.headline == "改过的标题"
