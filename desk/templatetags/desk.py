"""What the public article page shows of the desk: a "corrected" note, and for staff a way in."""
from django import template

from desk.models import Correction

register = template.Library()


@register.inclusion_tag("desk/_article_note.html", takes_context=True)
def desk_note(context, article):
    request = context.get("request")
    corrected = Correction.objects.of_article(article.pk).filter(status=Correction.ACTIVE).exists()
    return {
        "article": article,
        "corrected": corrected,
        "staff": bool(request and request.user.is_active and request.user.is_staff),
    }
