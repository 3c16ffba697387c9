"""The date archive's levels as database filters over an article's page date.

Each dated article sits at exactly one level, the finest its page's date allows:
`archive.ingest.dates.level` is the rule in Python, these are the same rule in
SQL (tests/test_dates.py holds them to agreeing on every kind of date).
"""
from django.db.models import F, Q

from archive.ingest import dates as pdates

_START, _END, _PRECISION = "page__published_start", "page__published_end", "page__published_precision"
_SAME_MONTH = Q(**{f"{_END}__year": F(f"{_START}__year"), f"{_END}__month": F(f"{_START}__month")})
_ONE_DAY = Q(**{_END: F(_START)})

DAY_LEVEL = Q(**{_PRECISION: pdates.DAY}) | (Q(**{_PRECISION: pdates.RANGE}) & _ONE_DAY)
MONTH_LEVEL = Q(**{_PRECISION: pdates.MONTH}) | (
    Q(**{_PRECISION: pdates.RANGE}) & _SAME_MONTH & ~_ONE_DAY
)
YEAR_LEVEL = Q(**{_PRECISION: pdates.YEAR}) | (Q(**{_PRECISION: pdates.RANGE}) & ~_SAME_MONTH)
LEVELS = {pdates.DAY: DAY_LEVEL, pdates.MONTH: MONTH_LEVEL, pdates.YEAR: YEAR_LEVEL}
