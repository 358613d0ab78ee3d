from django import template

from producers.models import Producer
from promotion.models import Video

register = template.Library()


@register.inclusion_tag("promotion/_videos.html")
def videos_of(owner):
    """The videos of a product or a producer on its public page (one query)."""
    field = "producer" if isinstance(owner, Producer) else "product"
    return {"videos": list(Video.objects.filter(**{field: owner}))}
