"""The public pages: each renders with data, 404s where it should, escapes, and stays within a query budget."""
import html
import re
from datetime import date

import pytest
from django.urls import reverse

from archive.ingest import types as T
from archive.models import District, EventDate, OrganizationMention, Position
from tests.builders import VERSION_READ, make_article, make_org, make_page, make_person, mention

pytestmark = pytest.mark.django_db

DAY = (date(2020, 7, 21), date(2020, 7, 21), "day")


def url(name, *args):
    return reverse(f"archive:{name}", args=args)


def text_of(response):
    """The page's visible text: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def many_articles(n=6):
    """n articles on n pages, each with a district, a reporter, an official and an organisation."""
    for i in range(n):
        page = make_page(published=(date(2020, 7, i + 1), date(2020, 7, i + 1), "day"))
        article = make_article(page=page, headline=f"文章{i}", districts=["郑东新区"])
        mention(article, make_person(f"记者{i}"), role=T.REPORTER)
        mention(article, make_person(f"官员{i}"), title=f"某局局长{i}")
        OrganizationMention.objects.create(article=article, organization=make_org(f"某局{i}"))


# -- home -------------------------------------------------------------------------


def test_home_shows_latest_articles_districts_officials_and_years(client):
    """Home lists the latest article, its district with a count, an official with a title, the year."""
    article = make_article(headline="郑东新区召开防汛会议", districts=["郑东新区"])
    mention(article, make_person("刘焱中"), title="郑东新区应急管理局局长")
    body = client.get(url("home")).content.decode()
    assert "郑东新区召开防汛会议" in body
    assert reverse("archive:district", args=["zhengdong"]) in body
    assert "刘焱中" in body and "郑东新区应急管理局局长" in body
    assert url("year", 2020) in body


def test_home_officials_are_the_twelve_printed_most_recently(client):
    """Home's officials are the 12 latest printed, in that order (by name within a day), of 20 days' 40."""
    people = [make_person(f"官员{i:02d}") for i in range(40)]
    for day in range(1, 21):
        page = make_page(published=(date(2020, 7, day), date(2020, 7, day), "day"))
        for person in people[2 * day - 2:2 * day]:
            mention(make_article(page=page), person, title="局长")
    # An official's latest appearance counts, not their first: 官员00 was printed again last.
    mention(make_article(page=make_page(published=(date(2020, 7, 20),) * 2 + ("day",))), people[0], title="局长")
    shown = re.findall(r"官员\d\d", text_of(client.get(url("home"))))
    assert shown == ["官员00", *[f"官员{i:02d}" for i in (38, 39, 36, 37, 34, 35, 32, 33, 30, 31, 28)]]


def test_home_lists_undated_officials_after_the_dated_when_few(client):
    """With fewer than 12 officials, home lists them all, the one only on an undated page last."""
    mention(make_article(page=make_page(published=(None, None, ""))), make_person("甲官员"), title="局长")
    mention(make_article(page=make_page(published=DAY)), make_person("乙官员"), title="局长")
    assert re.findall(r"[甲乙]官员", text_of(client.get(url("home")))) == ["乙官员", "甲官员"]


def test_home_lists_the_ten_latest_articles_newest_first(client):
    """Home's latest are the ten newest of twenty days' articles, newest first; an undated one is not among them."""
    make_article(page=make_page(published=(None, None, "")), headline="无日期文章")
    for d in range(1, 21):
        make_article(page=make_page(published=(date(2020, 7, d), date(2020, 7, d), "day")), headline=f"第{d:02d}日文章")
    shown = re.findall(r"第\d\d日文章|无日期文章", text_of(client.get(url("home"))))
    assert shown == [f"第{d:02d}日文章" for d in range(20, 10, -1)]


def test_home_has_the_search_form(client):
    """Home offers a search box that submits to the search page."""
    body = client.get(url("home")).content.decode()
    assert f'action="{reverse("search:search")}"' in body


def test_home_query_count_does_not_grow_with_data(client, django_assert_max_num_queries):
    """Home reads in a fixed number of queries however many articles there are."""
    many_articles(8)
    # 12: the latest articles and officials each read the newest dates first (models.from_newest_dates).
    with django_assert_max_num_queries(12 + VERSION_READ):
        assert client.get(url("home")).status_code == 200


# -- article ------------------------------------------------------------------------


def test_article_shows_kicker_headline_deck_and_paragraphs(client):
    """An article page shows its kicker, headline, deck and each paragraph."""
    article = make_article(
        headline="当好全市发展火车头", kicker="■ 相关新闻", subheadline="——访郑东新区党工委书记孙建功",
        body="第一段文字。\n\n第二段文字。",
    )
    body = client.get(article.get_absolute_url()).content.decode()
    for part in ("当好全市发展火车头", "■ 相关新闻", "——访郑东新区党工委书记孙建功"):
        assert part in body
    assert "<p>第一段文字。</p>" in body and "<p>第二段文字。</p>" in body


def test_article_marks_a_derived_headline(client):
    """A headline the source did not print is marked 拟题 where readers see it."""
    article = make_article(headline="为深入贯彻落实……", headline_derived=True)
    body = client.get(article.get_absolute_url()).content.decode()
    assert "tag-derived" in body and "拟题" in body


@pytest.mark.parametrize("lead, body, shown", [
    ("本报讯", "本报讯 7月18日，郑东新区召开会议。", "本报讯"),
    ("本报讯 7月18日", "本报讯7月18日,郑东新区召开会议。", "本报讯7月18日"),
])
def test_article_dateline_in_body_is_shown_once(client, lead, body, shown):
    """A lead that opens the first paragraph (spaces aside) is set apart there, not printed twice."""
    article = make_article(lead=lead, body=body)
    page = client.get(article.get_absolute_url()).content.decode()
    body = page[page.index('<div class="story-body">'):page.index('<footer class="story-source">')]
    assert body.count("本报讯") == 1
    assert f'<strong class="dateline">{shown}</strong>' in body


def test_article_byline_links_reporters_and_correspondents(client):
    """The printed byline links each reporter and correspondent to their page."""
    article = make_article(byline="记者 马燕 通讯员 李盼 文/图", photo=True)
    reporter, correspondent = make_person("马燕"), make_person("李盼")
    mention(article, reporter, role=T.REPORTER)
    mention(article, correspondent, role=T.CORRESPONDENT)
    body = client.get(article.get_absolute_url()).content.decode()
    assert f'<a href="{reporter.get_absolute_url()}">马燕</a>' in body
    assert f'<a href="{correspondent.get_absolute_url()}">李盼</a>' in body
    assert "文/图" in body


def test_article_without_printed_byline_builds_one_with_photo_mark(client):
    """With no byline text, the reporters are listed by role and a photo is shown as 文/图."""
    article = make_article(photo=True)
    reporter = make_person("孙庆辉")
    mention(article, reporter, role=T.REPORTER)
    body = client.get(article.get_absolute_url()).content.decode()
    assert "记者" in body and f'<a href="{reporter.get_absolute_url()}">孙庆辉</a>' in body
    assert "文/图" in body


def test_article_month_date_is_shown_without_a_day(client):
    """An article on a page known to the month shows 2020年7月 and never a day."""
    article = make_article()
    text = text_of(client.get(article.get_absolute_url()))
    assert "2020年7月" in text
    assert "2020年7月1日" not in text and "2020年7月31日" not in text


def test_article_shows_event_dates_and_marks_approximate_ones(client):
    """Dates written in the text are shown resolved, and 近日 as approximate."""
    article = make_article()
    EventDate.objects.create(article=article, text="7月18日", date_start=date(2020, 7, 18),
                             date_end=date(2020, 7, 18), date_precision="day")
    EventDate.objects.create(article=article, text="近日", date_start=date(2020, 7, 1),
                             date_end=date(2020, 7, 31), date_precision="month", approximate=True)
    text = text_of(client.get(article.get_absolute_url()))
    assert "2020年7月18日" in text
    assert re.search(r"文中“近日”\s*2020年7月\s*约", text)


def test_article_links_districts_people_with_titles_and_organisations(client):
    """Districts, people (with title and role) and organisations link to their pages."""
    article = make_article(districts=["郑东新区"])
    person = make_person("孙建功")
    mention(article, person, role=T.INTERVIEWEE, title="郑东新区党工委书记")
    org = make_org("郑东新区管委会")
    OrganizationMention.objects.create(article=article, organization=org)
    body = client.get(article.get_absolute_url()).content.decode()
    assert reverse("archive:district", args=["zhengdong"]) in body
    assert person.get_absolute_url() in body and "郑东新区党工委书记" in body and "受访者" in body
    assert org.get_absolute_url() in body


def test_article_links_to_its_span_on_the_source_page(client):
    """The article links to the source page at its own span."""
    article = make_article(position=3)
    body = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{article.page.get_absolute_url()}#span-3"' in body


def test_article_previous_and_next_are_on_the_same_page(client):
    """Previous and next link to the neighbouring articles of the same page only."""
    page = make_page()
    first, middle, last = (make_article(page=page, headline=h) for h in ("甲文", "乙文", "丙文"))
    make_article(headline="别版文章")
    body = client.get(middle.get_absolute_url()).content.decode()
    assert re.search(rf'rel="prev" href="{re.escape(first.get_absolute_url())}"', body)
    assert re.search(rf'rel="next" href="{re.escape(last.get_absolute_url())}"', body)
    assert 'rel="prev"' not in client.get(first.get_absolute_url()).content.decode()


def test_article_highlights_query_terms(client):
    """?q= marks each term in the text."""
    article = make_article(headline="郑东新区召开防汛会议", body="会议部署防汛工作。")
    body = client.get(article.get_absolute_url(), {"q": "防汛 郑东新区"}).content.decode()
    assert "<mark>郑东新区</mark>召开<mark>防汛</mark>会议" in body
    assert "部署<mark>防汛</mark>工作" in body


def test_article_highlights_an_unspaced_chinese_query_by_its_words(client):
    """A query typed without spaces is cut into words and each found word is marked."""
    article = make_article(headline="郑东新区召开防汛会议", body="正文。")
    body = client.get(article.get_absolute_url(), {"q": "郑东新区防汛"}).content.decode()
    assert "<mark>防汛</mark>" in body


def test_article_highlights_across_stray_spaces_in_the_text(client):
    """A term is marked where the text splits it with an OCR space, as the search finds it."""
    article = make_article(headline="标题", body="郑东 新区召开会议。")
    body = client.get(article.get_absolute_url(), {"q": "郑东新区"}).content.decode()
    assert "<mark>郑东 新区</mark>" in body


def test_article_highlighting_escapes_the_text_and_the_query(client):
    """Text around a mark and the query itself stay escaped."""
    article = make_article(headline="标题", body="<script>alert(1)</script> 防汛")
    body = client.get(article.get_absolute_url(), {"q": "防汛 <b>"}).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>防汛</mark>" in body
    assert "<b>" not in body


def test_article_escapes_script_in_every_field(client):
    """Headline, deck and body that contain <script> are shown as text."""
    article = make_article(headline="<script>h()</script>", subheadline="<script>d()</script>",
                           body="<script>b()</script>")
    body = client.get(article.get_absolute_url()).content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;h()" in body and "&lt;script&gt;b()" in body


@pytest.mark.parametrize("slug, position", [("no-such-page", 1), (None, 99)])
def test_article_unknown_is_404(client, slug, position):
    """An unknown page slug or position is a 404."""
    article = make_article()
    assert client.get(url("article", slug or article.page.slug, position)).status_code == 404


def test_article_query_count_is_bounded(client, django_assert_max_num_queries):
    """An article with many people and dates reads in a fixed number of queries."""
    article = make_article(districts=["郑东新区", "高新区"])
    for i in range(6):
        person = make_person(f"人{i}")
        mention(article, person, role=T.MENTIONED, title=f"职务{i}")
        mention(make_article(headline=f"也提到人{i}"), person)
        EventDate.objects.create(article=article, text=f"7月{i + 1}日")
    # 10: the same-district list reads the newest dates first (querysets.from_newest_dates),
    # and the same-people list ranks the mentions, then reads the five articles it chose.
    with django_assert_max_num_queries(10 + VERSION_READ):
        assert client.get(article.get_absolute_url()).status_code == 200


# -- source pages ------------------------------------------------------------------------


def test_page_marks_each_article_span_and_links_it(client):
    """The raw text wraps each article's span in a mark that links to the article."""
    page = make_page(text="报头\n\n甲文正文\n\n乙文正文\n")
    first = make_article(page=page, span_start=4, span_end=8)
    second = make_article(page=page, span_start=10, span_end=14)
    body = client.get(page.get_absolute_url()).content.decode()
    for article, text in ((first, "甲文正文"), (second, "乙文正文")):
        span = re.search(rf'<mark class="span" id="span-{article.position}"[^>]*>(.*?)</mark>', body, re.S)
        assert span and f'href="{article.get_absolute_url()}"' in span.group(1)
        assert span.group(1).endswith(text)


def test_page_shows_the_raw_text_exactly(client):
    """The <pre> holds the stored text character for character, leading newlines included."""
    raw = "\n\n  一行\n二行\t制表\n\n\n三行  \n"
    page = make_page(text=raw)
    make_article(page=page, span_start=4, span_end=10)
    body = client.get(page.get_absolute_url()).content.decode()
    pre = re.search(r'<pre class="raw">\n(.*?)</pre>', body, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", pre)) == raw


def test_page_escapes_script_in_raw_text(client):
    """Page text containing <script> is shown as text, inside and outside spans."""
    page = make_page(text="<script>a()</script>\n<script>b()</script>")
    make_article(page=page, span_start=21, span_end=41)
    body = client.get(page.get_absolute_url()).content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;a()" in body and "&lt;script&gt;b()" in body


def test_page_shows_metadata(client):
    """The source page shows newspaper, section, date at its precision, encoding and checksum."""
    page = make_page(text="正文", section="高新区", encoding="gb18030")
    text = text_of(client.get(page.get_absolute_url()))
    for part in ("郑州晚报", "高新区", "2020年7月", "gb18030", page.checksum):
        assert part in text
    assert "2020年7月1日" not in text


def test_page_raw_download_is_the_stored_bytes(client):
    """The raw download returns the exact bytes, the file name and the stored charset."""
    data = "郑东新区".encode("gb18030")
    page = make_page(file_name="004_old.txt", raw_bytes=data, encoding="gb18030")
    response = client.get(url("page_raw", page.slug))
    assert response.content == data
    assert response["Content-Type"] == "text/plain; charset=gb18030"
    assert response["Content-Disposition"] == 'attachment; filename="004_old.txt"'


def test_page_list_shows_pages_with_counts(client):
    """The page list links each page and shows how many articles it holds."""
    page = make_page(section="郑东新区")
    make_article(page=page)
    make_article(page=page)
    body = client.get(url("pages")).content.decode()
    assert page.get_absolute_url() in body
    assert re.search(r'<td class="num">2</td>', body)


def test_page_list_query_count_is_bounded(client, django_assert_max_num_queries):
    """The page list reads in a fixed number of queries."""
    many_articles(8)
    with django_assert_max_num_queries(3 + VERSION_READ):
        assert client.get(url("pages")).status_code == 200


@pytest.mark.parametrize("name", ["page", "page_raw"])
def test_page_unknown_is_404(client, name):
    """An unknown page slug is a 404 for the page and its download."""
    assert client.get(url(name, "no-such-page")).status_code == 404


# -- districts ---------------------------------------------------------------------------


def test_district_list_shows_counts(client):
    """The district list shows each district with its article count."""
    make_article(districts=["高新区"])
    make_article(districts=["高新区"])
    text = text_of(client.get(url("districts")))
    assert re.search(r"高新区\s*功能区 · 郑州市 · 2 篇", text)


def test_district_list_query_count_is_bounded(client, django_assert_max_num_queries):
    """The district list is two queries (the busiest places, how many there are) however many articles."""
    many_articles(6)
    with django_assert_max_num_queries(2 + VERSION_READ):
        assert client.get(url("districts")).status_code == 200


def test_district_page_lists_articles_and_officials(client):
    """A district shows its articles, officials tied to it, and officials named in its articles."""
    district = District.objects.get(name="郑东新区")
    article = make_article(headline="东区新闻", districts=["郑东新区"])
    mention(article, make_person("牛瑞华"), title="管委会常务副主任")
    Position.objects.create(person=make_person("周定友"), title="管委会副主任", district=district)
    make_article(headline="别区新闻", districts=["高新区"])
    body = client.get(district.get_absolute_url()).content.decode()
    assert "东区新闻" in body and "别区新闻" not in body
    assert "牛瑞华" in body and "周定友" in body


def test_district_page_query_count_is_bounded(client, django_assert_max_num_queries):
    """A district page reads in a fixed number of queries (chart and sub-areas add six, the
    places below it one, how many officials and organisations two, the places within it and
    the titles printed there one each, whatever the data)."""
    many_articles(8)
    with django_assert_max_num_queries(16 + VERSION_READ):
        assert client.get(url("district", "zhengdong")).status_code == 200


def test_district_page_lists_a_bounded_number_of_officials_and_organisations(client, monkeypatch):
    """Past PLACE_LISTS, a place page shows that many officials' titles and organisations and says how many."""
    from archive.views import entities

    monkeypatch.setattr(entities, "PLACE_LISTS", 3)
    zhengdong = District.objects.get(slug="zhengdong")
    for i in range(5):
        article = make_article(districts=["郑东新区"])
        mention(article, make_person(f"官员{i}"), title=f"某局局长{i}")
        make_org(f"某局{i}", district=zhengdong)
    text = client.get(url("district", "zhengdong")).content.decode()
    assert "某局局长2" in text and "某局局长3" not in text and "共 5 个职务" in text
    assert ">某局2<" in text and ">某局3<" not in text and "共 5 个机构" in text


def test_district_unknown_is_404(client):
    """An unknown district slug is a 404."""
    assert client.get(url("district", "nowhere")).status_code == 404


# -- people -------------------------------------------------------------------------------


def test_person_list_separates_officials_from_others(client):
    """Officials (with titles) and other people are listed under their own headings."""
    article = make_article()
    mention(article, make_person("孙建功"), title="郑东新区党工委书记")
    mention(article, make_person("习近平"))
    text = text_of(client.get(url("persons")))
    assert text.index("官员") < text.index("孙建功") < text.index("其他人物") < text.index("习近平")


def test_person_list_filters_by_role(client):
    """?role= keeps only people with that role."""
    article = make_article()
    mention(article, make_person("马燕"), role=T.REPORTER)
    mention(article, make_person("孙建功"), role=T.INTERVIEWEE)
    body = client.get(url("persons"), {"role": T.REPORTER}).content.decode()
    assert "马燕" in body and "孙建功" not in body


def test_person_list_ignores_an_unknown_role(client):
    """An unknown ?role= lists everyone rather than failing."""
    mention(make_article(), make_person("马燕"), role=T.REPORTER)
    response = client.get(url("persons"), {"role": "<x>"})
    assert response.status_code == 200 and "马燕" in response.content.decode()


def test_person_list_query_count_is_bounded(client, django_assert_max_num_queries):
    """The person list reads in a fixed number of queries."""
    many_articles(8)
    with django_assert_max_num_queries(5 + VERSION_READ):
        assert client.get(url("persons")).status_code == 200


def _sun_jiangong_positions():
    person = make_person("孙建功")
    Position.objects.create(
        person=person, title="郑东新区党工委书记、中原科技城党工委书记",
        first_seen_start=date(2023, 7, 1), first_seen_end=date(2023, 7, 31), first_seen_precision="month",
        last_seen_start=date(2023, 7, 1), last_seen_end=date(2023, 7, 31), last_seen_precision="month",
    )
    Position.objects.create(
        person=person, title="郑东新区党工委书记",
        first_seen_start=date(2023, 1, 1), first_seen_end=date(2023, 12, 31), first_seen_precision="year",
        last_seen_start=date(2025, 7, 1), last_seen_end=date(2025, 7, 31), last_seen_precision="month",
    )
    return person


def post_rows(response):
    """(post, first seen, last seen) from the person page's posts table."""
    body = response.content.decode()
    table = body[body.index('class="positions posts"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]+)<.*?<td class="nowrap">([^<]+)</td>\s*<td class="nowrap">([^<]+)</td>', table, re.S)
    return [tuple(html.unescape(c).strip() for c in row) for row in rows]


def test_person_page_groups_titles_into_posts_with_first_and_last_seen(client):
    """A combined title counts toward each post it names; each post has first and last seen at its precision."""
    person = _sun_jiangong_positions()
    assert post_rows(client.get(person.get_absolute_url())) == [
        ("郑东新区党工委书记", "2023年", "2025年7月"),
        ("中原科技城党工委书记", "2023年7月", "2023年7月"),
    ]


def test_person_page_still_shows_titles_as_printed(client):
    """The titles exactly as printed stay on the page beside the grouped posts."""
    person = _sun_jiangong_positions()
    assert "郑东新区党工委书记、中原科技城党工委书记" in text_of(client.get(person.get_absolute_url()))


def test_person_page_lists_articles_with_role_and_title(client):
    """Each article on a person's page says the role and title printed there."""
    person = make_person("孙建功")
    article = make_article(headline="当好火车头")
    mention(article, person, role=T.INTERVIEWEE, title="郑东新区党工委书记")
    text = text_of(client.get(person.get_absolute_url()))
    assert "当好火车头" in text and "受访者：郑东新区党工委书记" in text


def test_person_page_query_count_is_bounded(client, django_assert_max_num_queries):
    """A person page reads in a fixed number of queries however many articles name them."""
    person = make_person("孙建功")
    for i in range(6):
        mention(make_article(districts=["郑东新区"]), person, role=T.INTERVIEWEE, title=f"职务{i}")
    with django_assert_max_num_queries(13 + VERSION_READ):
        assert client.get(person.get_absolute_url()).status_code == 200


def test_person_unknown_is_404(client):
    """An unknown person slug is a 404."""
    assert client.get(url("person", "无此人")).status_code == 404


def test_reporter_list_shows_byline_people_with_counts(client):
    """The reporter list has byline people with their article counts, and no one else."""
    reporter = make_person("孙庆辉")
    for _ in range(3):
        mention(make_article(), reporter, role=T.REPORTER)
    mention(make_article(), make_person("王新亭"), role=T.INTERVIEWEE)
    body = client.get(url("reporters")).content.decode()
    assert re.search(r'孙庆辉</a></th>\s*<td class="num">3</td>', body)
    assert "王新亭" not in body


def test_reporter_list_query_count_is_bounded(client, django_assert_max_num_queries):
    """The reporter list reads in a fixed number of queries."""
    many_articles(8)
    with django_assert_max_num_queries(2 + VERSION_READ):
        assert client.get(url("reporters")).status_code == 200


# -- organisations ----------------------------------------------------------------------------


def test_organization_list_shows_counts(client):
    """The organisation list links each organisation with its article count."""
    org = make_org("郑东新区应急管理局")
    OrganizationMention.objects.create(article=make_article(), organization=org)
    text = text_of(client.get(url("organizations")))
    assert re.search(r"郑东新区应急管理局\s*1 篇", text)


def test_organization_list_query_count_is_bounded(client, django_assert_max_num_queries):
    """The organisation list reads in a fixed number of queries."""
    many_articles(8)
    with django_assert_max_num_queries(2 + VERSION_READ):
        assert client.get(url("organizations")).status_code == 200


def test_organization_page_lists_articles_and_people(client):
    """An organisation shows the articles naming it and the people holding titles in it."""
    org = make_org("郑东新区应急管理局")
    article = make_article(headline="防汛会商")
    OrganizationMention.objects.create(article=article, organization=org)
    Position.objects.create(person=make_person("刘焱中"), title="局长", organization=org)
    body = client.get(org.get_absolute_url()).content.decode()
    assert "防汛会商" in body and "刘焱中" in body


def test_organization_unknown_is_404(client):
    """An unknown organisation slug is a 404."""
    assert client.get(url("organization", "无此机构")).status_code == 404


# -- the frame ---------------------------------------------------------------------------------


def test_pages_have_breadcrumbs_and_one_h1(client):
    """Inner pages carry breadcrumbs from home and exactly one h1."""
    article = make_article(districts=["郑东新区"])
    for path in (article.get_absolute_url(), article.page.get_absolute_url(), url("district", "zhengdong")):
        body = client.get(path).content.decode()
        assert 'class="crumbs"' in body and f'href="{url("home")}"' in body
        assert body.count("<h1") == 1


def test_pages_declare_simplified_chinese(client):
    """Every page says it is in Simplified Chinese."""
    assert '<html lang="zh-Hans">' in client.get(url("home")).content.decode()


# -- in a browser ------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_fit_a_phone_and_start_with_the_skip_link(live_server, chromium_path):
    """At 390px no page scrolls sideways, and the first Tab lands on 跳到正文."""
    from playwright import sync_api
    from tests.conftest import CHROMIUM_ARGS

    page = make_page(text="长" * 400 + "\n" + "x" * 300, section="郑东新区")
    article = make_article(page=page, headline="很长的标题" * 8, body="正文" * 300,
                           districts=["郑东新区"], span_start=0, span_end=400)
    paths = [url("home"), article.get_absolute_url(), page.get_absolute_url(), url("pages"),
             url("district", "zhengdong"), url("year", 2020), url("month", 2020, 7)]
    # Data first: Django refuses database calls once Playwright's event loop runs.
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        for path in paths:
            tab.goto(live_server.url + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, path
            tab.keyboard.press("Tab")
            assert tab.evaluate("document.activeElement.textContent") == "跳到正文", path
        browser.close()
