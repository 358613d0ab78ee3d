"""Reads of market-information pages: what each reader may see, now."""

from django.db.models import QuerySet

from accounts.roles import is_office, is_staff_member
from market.models import Audience, MarketPage

HOME_LIMIT = 5


def pages_visible_to(user, now=None) -> QuerySet[MarketPage]:
    """Live pages the reader may open: the public ones for everyone, and the producers-only ones
    for a signed-in producer account or back-office role."""
    qs = MarketPage.objects.live(now)
    if user is None or not user.is_authenticated or not is_staff_member(user):
        qs = qs.filter(audience=Audience.PUBLIC)
    return qs


def page_list(user, *, category: str = "", q: str = "", now=None) -> QuerySet[MarketPage]:
    """The list a reader gets: the office every page (drafts and scheduled ones too), the others
    the live pages they may see; newest publication first."""
    qs = MarketPage.objects.all() if user is not None and is_office(user) else pages_visible_to(user, now)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(title__icontains=q.strip()[:100])
    return qs.order_by("-publish_at", "-pk")


def home_pages(user, limit: int = HOME_LIMIT) -> list[MarketPage]:
    """The newest live pages a producer sees on its home page (one query)."""
    return list(pages_visible_to(user).order_by("-publish_at", "-pk")[:limit])


def page_for(user, slug: str) -> MarketPage | None:
    """The page by its address if the reader may see it now (the office: any page)."""
    qs = MarketPage.objects.all() if user is not None and is_office(user) else MarketPage.objects.live()
    return qs.filter(slug=slug).prefetch_related("attachments").first()
