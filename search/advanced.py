"""Advanced search: a form of named boxes that writes the search page's own URL parameters.

The boxes become a query in the syntax the search box takes (`防汛 OR 抗旱 孙建功
"国家中心城市" headline:会议 -开封`) and the filters its parameters (person, district,
reporter, newspaper, kind, from, to, sort), so the result is an ordinary /search/ URL
that can be bookmarked, edited in the box, exported and subscribed to. Filled in from
a search's URL, the form shows that search for editing.
"""
from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from archive.models import Page
from search import engine
from search.query import parse

SUBMITTED = "adv"  # the form's own marker: with it the boxes are read, without it a search's URL


def _words(text):
    return [w.strip('"“”「」') for w in (text or "").split() if w.strip('"“”「」')]


class AdvancedSearchForm(forms.Form):
    all = forms.CharField(label="包含全部词语", required=False, max_length=200)
    phrase = forms.CharField(label="包含完整短语", required=False, max_length=100)
    any = forms.CharField(label="包含任一词语", required=False, max_length=100)
    none = forms.CharField(label="不含词语", required=False, max_length=100)
    headline = forms.CharField(label="标题中含", required=False, max_length=100)
    person = forms.CharField(label="人物", required=False, max_length=100)
    district = forms.CharField(label="地点（区县，可用别名）", required=False, max_length=100)
    reporter = forms.CharField(label="记者", required=False, max_length=100)
    newspaper = forms.ChoiceField(label="报纸", required=False)
    kind = forms.ChoiceField(label="体裁", required=False, choices=[("", "不限"), *engine.KINDS.items()])
    start = forms.CharField(label="出版日期从", required=False, max_length=10)
    end = forms.CharField(label="出版日期到", required=False, max_length=10)
    sort = forms.ChoiceField(label="排序", required=False, choices=list(engine.SORTS.items()))

    def __init__(self, *args, newspapers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newspaper"].choices = [("", "不限"), *((n, n) for n in newspapers)]
        for name in ("start", "end"):  # the help beside the boxes says which forms a date takes
            self.fields[name].widget.attrs.update(placeholder="如 2020-07", inputmode="numeric",
                                                  pattern=r"\d{4}(-\d{1,2}(-\d{1,2})?)?",
                                                  **{"aria-describedby": "adv-date-help"})

    GROUPS = (("文字", ("all", "phrase", "any", "none", "headline")),
              ("条件", ("person", "district", "reporter", "newspaper", "kind", "start", "end", "sort")))

    @property
    def groups(self):
        """(legend, bound fields) for each fieldset."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            if data.get(name) and engine.parse_day(data[name].strip()) is None:
                self.add_error(name, "日期应为 2020、2020-07 或 2020-07-21。")
        return data

    def search_params(self) -> list[tuple[str, str]]:
        """The /search/ parameters these boxes ask for, in the page's order."""
        data = self.cleaned_data
        q = []
        alternatives = _words(data["any"])
        if alternatives:
            q.append(" OR ".join(alternatives))
        if data["all"].strip():
            q.append(data["all"].strip())
        phrase = data["phrase"].strip().strip('"“”「」').replace('"', " ")
        if phrase:
            q.append(f'"{phrase}"')
        q += [f"headline:{w}" for w in _words(data["headline"])]
        q += [f"-{w}" for w in _words(data["none"])]
        params = {"q": " ".join(q), "person": data["person"], "district": data["district"],
                  "reporter": data["reporter"], "newspaper": data["newspaper"], "kind": data["kind"],
                  "from": data["start"].strip(), "to": data["end"].strip(),
                  "sort": data["sort"] if data["sort"] != "relevance" else ""}
        return [(k, params[k].strip()) for k in engine.PARAMS if params.get(k, "").strip()]


def initial_from(params) -> dict:
    """The boxes filled in from a search's URL parameters (its query split back into boxes)."""
    initial = {k: params.get(k, "") for k in ("person", "district", "reporter", "newspaper", "kind", "sort")}
    initial.update(start=params.get("from", ""), end=params.get("to", ""))
    rest, alternatives, phrases, headline, none = [], [], [], [], []
    for clause in parse(params.get("q", "")).clauses:
        terms = clause.alternatives
        text = [t.text for t in terms]
        if clause.negated and len(terms) == 1 and not terms[0].field and not terms[0].quoted:
            none += text
        elif len(terms) > 1 and not clause.negated and not alternatives and not any(t.field or t.quoted for t in terms):
            alternatives = text
        elif len(terms) == 1 and terms[0].quoted and not terms[0].field and not clause.negated and not phrases:
            phrases = text
        elif len(terms) == 1 and terms[0].field == "headline" and not terms[0].quoted and not clause.negated:
            headline += text
        else:  # anything else stays in the syntax the search box reads
            written = " OR ".join((f"{t.field}:" if t.field else "") + (f'"{t.text}"' if t.quoted else t.text)
                                  for t in terms)
            rest.append(("-" if clause.negated else "") + written)
    initial.update(all=" ".join(rest), phrase=" ".join(phrases), any=" ".join(alternatives),
                   headline=" ".join(headline), none=" ".join(none))
    return initial


def make_form(params=None, data=None):
    newspapers = [n for n in Page.objects.values_list("newspaper", flat=True).distinct().order_by("newspaper") if n]
    if data is not None:
        form = AdvancedSearchForm(data, newspapers=newspapers)
    else:
        form = AdvancedSearchForm(initial=initial_from(params or {}), newspapers=newspapers)
    form.span = Page.objects.dated_span()  # said beside the date boxes
    return form


def advanced(request):
    if SUBMITTED in request.GET:
        form = make_form(data=request.GET)
        if form.is_valid():
            params = form.search_params()
            return redirect(reverse("search:search") + ("?" + urlencode(params) if params else ""))
    else:
        form = make_form(params=request.GET)
    return render(request, "search/advanced.html", {"form": form})
