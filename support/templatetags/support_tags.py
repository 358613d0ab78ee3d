"""Support shown on other apps' pages: a producer's page and the star-upgrade advisor."""

from django import template

from support.selectors import support_for_producer, support_suggestions

register = template.Library()


@register.simple_tag(takes_context=True)
def producer_support(context, producer):
    """support_for_producer(producer), or None when the user may not see it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if producer is None or user is None or not user.has_perm("support.view_producer_support", producer):
        return None
    return support_for_producer(producer)


@register.inclusion_tag("support/_suggestions.html", takes_context=True)
def support_suggestions_box(context, criteria):
    """Open programmes and upcoming courses for the criteria where points were lost
    (a list of codes, "code name" strings, or the advisor's LostPoints/Step objects)."""
    request = context.get("request")
    return {"suggestions": support_suggestions(list(criteria or [])), "request": request}
