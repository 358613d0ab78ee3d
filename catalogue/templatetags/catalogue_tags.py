from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalogue.presentation import thumbnail_size

register = template.Library()
_LAZY = mark_safe(' loading="lazy" decoding="async"')


@register.simple_tag
def product_photo(photo, alt, sizes="(min-width: 60rem) 18rem, (min-width: 36rem) 45vw, 92vw", lazy=True):
    """A responsive <img>: the thumbnail, the original for wide screens, always with
    width/height so the page does not jump while photos arrive."""
    if not photo.thumbnail:
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}"{}>',
            photo.image.url,
            photo.width or "",
            photo.height or "",
            alt,
            _LAZY if lazy else "",
        )
    width, height = thumbnail_size(photo)
    srcset = f"{photo.thumbnail.url} {width}w"
    if photo.image and photo.width and photo.width > width:
        srcset += f", {photo.image.url} {photo.width}w"
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}>',
        photo.thumbnail.url,
        srcset,
        sizes,
        width,
        height,
        alt,
        _LAZY if lazy else "",
    )


@register.filter
def star_glyphs(count) -> str:
    try:
        return "★" * int(count)
    except (TypeError, ValueError):
        return ""
