"""The editors' admin. Saves go through the models, so the search index hears of them.

Pages are records of what arrived: their text and bytes are shown, never edited
here (re-ingest the file instead). Import runs are an audit trail and read-only.
"""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html

from archive.merge import merge_persons, split_person

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

admin.site.site_header = "报库管理"
admin.site.site_title = "报库管理"
admin.site.index_title = "档案"


def _counted(queryset, **counts):
    return queryset.annotate(**{name: Count(path, distinct=True) for name, path in counts.items()})


# -- pages and articles -----------------------------------------------------------


class ArticleOnPageInline(admin.TabularInline):
    model = Article
    fields = ("position", "headline", "headline_derived", "kind", "span_start", "span_end")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Articles come from parsing the page; a hand-made one would have no span.
        return False


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("file_name", "newspaper", "section", "published", "encoding", "article_count", "updated_at")
    ordering = ("-published_start", "file_name")  # counted querysets drop Meta.ordering
    list_filter = ("published_precision", "newspaper", "encoding")
    search_fields = ("file_name", "newspaper", "section", "note", "checksum")
    date_hierarchy = "published_start"
    # The slug is the permalink and the file name the ingest key: neither changes here.
    readonly_fields = (
        "file_name", "slug", "checksum", "encoding", "raw_size", "raw_text_shown", "ingested_at", "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("file_name", "slug", "newspaper", "section", "note")}),
        ("出版日期", {
            "fields": ("published_start", "published_end", "published_precision"),
            "description": "仅知月份：起止为该月首末日、精度“月”；仅知年份同理。不要填一个不确知的日子。",
        }),
        ("原文（只读）", {
            "fields": ("encoding", "checksum", "raw_size", "raw_text_shown", "ingested_at", "updated_at"),
        }),
    )
    inlines = [ArticleOnPageInline]

    def get_queryset(self, request):
        return _counted(super().get_queryset(request).defer("raw_bytes"), article_count="articles")

    @admin.display(description="出版日期", ordering="published_start")
    def published(self, page):
        return page.published_display

    @admin.display(description="文章", ordering="article_count")
    def article_count(self, page):
        return page.article_count

    @admin.display(description="原始文件")
    def raw_size(self, page):
        if not page.pk:
            return "-"
        return format_html(
            '{} 字节 · <a href="{}">下载</a>',
            len(page.raw_bytes or b""), reverse("archive:page_raw", args=[page.slug]),
        )

    class Media:
        # A stylesheet, not a style attribute: the Content-Security-Policy allows no inline style.
        css = {"all": ["css/admin.css"]}

    @admin.display(description="原文")
    def raw_text_shown(self, page):
        return format_html(
            '<pre class="raw-text">{}</pre>', page.raw_text
        )


class PersonMentionInline(admin.TabularInline):
    model = PersonMention
    fields = ("person", "role", "title", "other_titles", "position")
    autocomplete_fields = ("person", "position")
    extra = 0


class OrganizationMentionInline(admin.TabularInline):
    model = OrganizationMention
    fields = ("organization", "role")
    autocomplete_fields = ("organization",)
    extra = 0


class EventDateInline(admin.TabularInline):
    model = EventDate
    fields = ("text", "date_start", "date_end", "date_precision", "approximate")
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("headline", "headline_derived", "kind", "published", "page", "position")
    list_filter = ("kind", "headline_derived", "photo", "page__published_precision", "districts")
    list_select_related = ("page",)
    search_fields = ("headline", "kicker", "subheadline", "byline", "body", "page__file_name")
    date_hierarchy = "page__published_start"
    autocomplete_fields = ("page", "districts")
    readonly_fields = ("span_start", "span_end", "source_link")
    fieldsets = (
        (None, {"fields": ("page", "position", "source_link", "kind")}),
        ("标题", {"fields": ("kicker", "headline", "headline_derived", "subheadline")}),
        ("正文", {"fields": ("lead", "body", "byline", "photo")}),
        ("关联", {"fields": ("districts", "span_start", "span_end")}),
    )
    inlines = [PersonMentionInline, OrganizationMentionInline, EventDateInline]

    @admin.display(description="出版日期", ordering="page__published_start")
    def published(self, article):
        return article.page.published_display

    @admin.display(description="公开页面")
    def source_link(self, article):
        if not article.pk:
            return "-"
        return format_html(
            '<a href="{}">文章页</a> · <a href="{}#span-{}">版面原文</a>',
            article.get_absolute_url(), article.page.get_absolute_url(), article.position,
        )


@admin.register(EventDate)
class EventDateAdmin(admin.ModelAdmin):
    list_display = ("text", "display", "date_precision", "approximate", "article")
    list_filter = ("date_precision", "approximate")
    list_select_related = ("article",)
    search_fields = ("text", "article__headline")
    date_hierarchy = "date_start"
    autocomplete_fields = ("article",)

    @admin.display(description="日期", ordering="date_start")
    def display(self, event):
        return event.display


# -- people, organisations, districts -----------------------------------------------


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "kind", "parent", "code", "slug", "article_count")
    ordering = ("name",)
    list_filter = ("level", "kind")
    search_fields = ("name", "aliases", "slug", "code")
    # Some 3,700 places: a select of them all would be a page of its own.
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)

    def get_queryset(self, request):
        return _counted(super().get_queryset(request), article_count="articles")

    @admin.display(description="文章", ordering="article_count")
    def article_count(self, district):
        return district.article_count


class PositionInline(admin.TabularInline):
    model = Position
    fields = ("title", "organization", "district", "first_seen", "last_seen")
    readonly_fields = ("first_seen", "last_seen")
    autocomplete_fields = ("organization", "district")
    extra = 0

    # First and last seen are recomputed from the pages by the loader; shown, not typed.
    @admin.display(description="首见")
    def first_seen(self, position):
        return position.first_seen_display

    @admin.display(description="末见")
    def last_seen(self, position):
        return position.last_seen_display


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        Person.objects.none(), widget=forms.RadioSelect, empty_label=None, label="保留哪一条",
    )

    def __init__(self, people, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = people


class SplitForm(forms.Form):
    name = forms.CharField(label="新人物的姓名", max_length=50)
    mentions = forms.ModelMultipleChoiceField(
        PersonMention.objects.none(), widget=forms.CheckboxSelectMultiple, label="移到新人物的提及",
    )

    def __init__(self, person, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentions"].queryset = person.mentions.select_related("article__page").order_by(
            "article__page__published_start", "article__page__file_name", "article__position"
        )
        self.fields["mentions"].label_from_instance = lambda m: (
            f"{m.article.page.published_display} {m.article.headline} · {m.get_role_display()}"
            + (f" · {m.title}" if m.title else "")
        )

    def clean_mentions(self):
        chosen = self.cleaned_data["mentions"]
        if chosen.count() == self.fields["mentions"].queryset.count():
            raise forms.ValidationError("全部移走就不是拆分了：至少留一处提及给原人物。", code="all")
        return chosen


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position_count", "mention_count")
    ordering = ("sort_name", "name")
    search_fields = ("name", "slug", "positions__title", "note")
    inlines = [PositionInline]
    actions = ["merge"]
    change_form_template = "archive/admin/person_change_form.html"

    def get_queryset(self, request):
        return _counted(
            super().get_queryset(request), position_count="positions", mention_count="mentions"
        )

    @admin.display(description="职务数", ordering="position_count")
    def position_count(self, person):
        return person.position_count

    @admin.display(description="提及数", ordering="mention_count")
    def mention_count(self, person):
        return person.mention_count

    # -- merge and split: both recorded in each record's admin history (LogEntry) ----

    @admin.action(description="合并所选人物（提及和职务并入保留的一条）", permissions=["change", "delete"])
    def merge(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "合并至少要选两条人物记录。", messages.WARNING)
            return None
        form = MergeForm(queryset, request.POST if "keep" in request.POST else None)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = list(queryset.exclude(pk=keep.pk))
            self.log_deletions(request, queryset.exclude(pk=keep.pk))  # before they are gone
            log = merge_persons(keep, others)
            self.log_change(request, keep, "合并：" + "；".join(log))
            self.message_user(request, f"已将 {len(others)} 条记录并入 {keep.name}。", messages.SUCCESS)
            return None
        return render(request, "archive/admin/merge_persons.html", {
            **self.admin_site.each_context(request),
            "title": "合并人物",
            "form": form,
            "people": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })

    def get_urls(self):
        split = self.admin_site.admin_view(self.split_view)
        return [path("<int:pk>/split/", split, name="archive_person_split"), *super().get_urls()]

    def split_view(self, request, pk):
        person = get_object_or_404(Person, pk=pk)
        if not (self.has_change_permission(request, person) and self.has_add_permission(request)):
            raise PermissionDenied
        form = SplitForm(person, request.POST or None, initial={"name": person.name})
        if form.is_valid():
            new = split_person(person, form.cleaned_data["mentions"], form.cleaned_data["name"])
            moved = len(form.cleaned_data["mentions"])
            self.log_change(request, person, f"拆分：{moved} 处提及移到 {new.name}（#{new.pk}）")
            self.log_addition(request, new, f"拆分自 {person.name}（#{person.pk}）：{moved} 处提及")
            self.message_user(request, f"已拆出 {new.name}，带走 {moved} 处提及。", messages.SUCCESS)
            return redirect("admin:archive_person_change", new.pk)
        return render(request, "archive/admin/split_person.html", {
            **self.admin_site.each_context(request),
            "title": f"拆分人物：{person.name}",
            "form": form,
            "person": person,
            "opts": self.model._meta,
        })


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "slug", "mention_count")
    ordering = ("name",)
    list_filter = ("district",)
    list_select_related = ("district",)
    search_fields = ("name", "slug")
    autocomplete_fields = ("district",)

    def get_queryset(self, request):
        return _counted(super().get_queryset(request), mention_count="mentions")

    @admin.display(description="提及数", ordering="mention_count")
    def mention_count(self, organization):
        return organization.mention_count


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("person", "title", "organization", "district", "first_seen", "last_seen")
    list_filter = ("district", "first_seen_precision")
    list_select_related = ("person", "organization", "district")
    search_fields = ("title", "person__name", "organization__name")
    autocomplete_fields = ("person", "organization", "district")

    @admin.display(description="首见", ordering="first_seen_start")
    def first_seen(self, position):
        return position.first_seen_display

    @admin.display(description="末见", ordering="last_seen_start")
    def last_seen(self, position):
        return position.last_seen_display


@admin.register(PersonMention)
class PersonMentionAdmin(admin.ModelAdmin):
    list_display = ("person", "role", "title", "article")
    list_filter = ("role",)
    list_select_related = ("person", "article")
    search_fields = ("person__name", "title", "article__headline")
    autocomplete_fields = ("article", "person", "position")


@admin.register(OrganizationMention)
class OrganizationMentionAdmin(admin.ModelAdmin):
    list_display = ("organization", "role", "article")
    list_filter = ("role",)
    list_select_related = ("organization", "article")
    search_fields = ("organization__name", "article__headline")
    autocomplete_fields = ("article", "organization")


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = ("at", "file_name", "status", "encoding", "articles")
    list_filter = ("status", "encoding")
    search_fields = ("file_name", "message")
    date_hierarchy = "at"

    # An audit trail: what happened stays as it happened.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
