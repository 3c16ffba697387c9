"""Bar charts drawn on the server as inline SVG: no script, no library, no network.

Colours come from CSS (currentColor and classes), so the chart follows dark mode.
"""
from django.utils.html import format_html, format_html_join

BAR, GAP, HEIGHT, LABEL = 28, 10, 120, 36


def bar_chart(rows, title, unit="篇"):
    """An SVG bar chart of (label, count) rows, with a text table equivalent for screen readers."""
    if not rows:
        return ""
    top = max(count for _, count in rows) or 1
    width = len(rows) * (BAR + GAP) + GAP
    bars = []
    for i, (label, count) in enumerate(rows):
        x = GAP + i * (BAR + GAP)
        h = round(count / top * (HEIGHT - 20))
        y = HEIGHT - h
        bars.append((x, y, BAR, h, label, count, unit, x + BAR / 2, y - 4, HEIGHT + 16))
    body = format_html_join(
        "",
        '<g><title>{4}：{5} {6}</title><rect class="bar" x="{0}" y="{1}" width="{2}" height="{3}" rx="2"/>'
        '<text class="bar-count" x="{7}" y="{8}" text-anchor="middle">{5}</text>'
        '<text class="bar-label" x="{7}" y="{9}" text-anchor="middle">{4}</text></g>',
        bars,
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}">'
        '<title>{t}</title><line class="axis" x1="0" y1="{base}" x2="{w}" y2="{base}"/>{body}</svg>',
        w=width, h=HEIGHT + LABEL - 12, t=title, base=HEIGHT, body=body,
    )
