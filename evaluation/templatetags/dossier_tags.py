from django import template

register = template.Library()


@register.filter
def option_label(criterion, option_code):
    """The text and points of the option a claim names ("" when none or unknown)."""
    if not option_code:
        return ""
    try:
        option = criterion.choice(option_code)
    except KeyError:
        return option_code
    return f"{option.label_vi} ({option.points})"
