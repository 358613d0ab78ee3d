"""{% load notices %}{% unread_notice_count %} → the signed-in user's unread notices (0 when
signed out); `{% unread_notice_count as n %}` stores it. Counted once per request."""

from django import template

from notices.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    holder = request if request is not None else user
    cached = getattr(holder, "_unread_notice_count", None)
    if cached is None:
        cached = unread_count(user)
        holder._unread_notice_count = cached
    return cached
