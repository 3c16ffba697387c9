from django import forms

from archive.ingest.dates import DateError, PartialDate
from archive.models import Page


class UploadForm(forms.Form):
    """What the command line's --newspaper, --section and --published give (for files no manifest row names)."""

    newspaper = forms.CharField(label="报纸", required=False, max_length=Page._meta.get_field("newspaper").max_length)
    section = forms.CharField(label="版面", required=False, max_length=Page._meta.get_field("section").max_length)
    published = forms.CharField(
        label="出版日期", required=False, max_length=30,
        help_text="按所知的精度：2017、2020-07、2020-07-21，或区间 2025-06-24/2025-07-31。",
    )

    def clean_published(self):
        value = self.cleaned_data["published"].strip()
        if value:
            try:
                PartialDate.parse(value)
            except DateError as exc:
                raise forms.ValidationError(str(exc), code="date")
        return value
