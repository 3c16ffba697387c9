"""Template helpers shared by the archive and search pages."""
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL's query string with only `page` changed, so pagination keeps
    the query and every filter the reader set."""
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()
