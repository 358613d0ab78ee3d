from django.db.models import QuerySet

from notices.models import Notice


def notices_for(user) -> QuerySet[Notice]:
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(user=user)


def unread_count(user) -> int:
    return notices_for(user).filter(read_at__isnull=True).count()
