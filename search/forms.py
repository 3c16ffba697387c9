"""The search form: validates what the reader typed before anything reaches the index."""
from django import forms

from search.query import MAX_TERMS, parse

MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label="检索词", required=False, max_length=MAX_LENGTH,
        error_messages={"max_length": f"检索词太长了：请少于{MAX_LENGTH}个字。"},
    )

    def clean_q(self):
        text = self.cleaned_data["q"]
        query = parse(text)
        if text.strip() and not query.clauses:
            # Say why (a wildcard, a lone operator) when the parser knows.
            raise forms.ValidationError(
                " ".join(query.notes + ["没有可检索的词语：请输入汉字、字母或数字。"]), code="no_terms"
            )
        if len(query) > MAX_TERMS:
            raise forms.ValidationError(f"检索词太多了：最多{MAX_TERMS}个。", code="too_many")
        self.query = query
        return text

    @property
    def message(self):
        """The first problem with the query, for a one-line notice."""
        for errors in self.errors.values():
            return errors[0]
        return ""
