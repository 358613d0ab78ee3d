"""{% load backoffice_menu %}{% backoffice_menu as items %}: the menu entries of the signed-in
user's role (backoffice/menu.py), the current page's marked."""

from django import template

from backoffice.menu import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def backoffice_menu(context):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return []
    return menu_for(user, request.path if request is not None else "")
