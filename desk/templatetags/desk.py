"""What the public article page shows of the desk: a "corrected" note, and for staff a way in."""
from django import template

register = template.Library()


@register.inclusion_tag("desk/_article_note.html", takes_context=True)
def desk_note(context, article):
    # Article.corrected is written by the loader from the replayed corrections: no query here.
    request = context.get("request")
    return {
        "article": article,
        "corrected": article.corrected,
        "staff": bool(request and request.user.is_active and request.user.is_staff),
    }
