"""Writes to notices: create (with e-mail after commit) and mark as read."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notices.models import Notice

log = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def _send_mail(messages: list[EmailMessage]) -> None:
    if not messages:
        return
    try:
        get_connection().send_messages(messages)
    except Exception:  # the notices are stored: a mail server outage must not lose them
        log.exception("notices: %d e-mail(s) could not be sent", len(messages))


@transaction.atomic
def notice_send(users, *, title: str, body: str = "", url: str = "", email: bool = True) -> list[Notice]:
    """One in-app notice per user and, after the transaction commits, one e-mail to each user
    who has an address. Returns the notices created."""
    users = list({u.pk: u for u in users}.values())
    notices = Notice.objects.bulk_create([Notice(user=u, title=title, body=body, url=url) for u in users])
    if email:
        link = absolute_url(url) if url else ""
        text = f"{body}\n\n{link}".strip() if link else body
        messages = [EmailMessage(subject=title, body=text, to=[u.email]) for u in users if u.email]
        transaction.on_commit(lambda: _send_mail(messages))
    return notices


def notice_mark_read(notice: Notice, *, actor) -> Notice:
    if notice.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Đây không phải thông báo của bạn."))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notice_mark_all_read(*, actor) -> int:
    return Notice.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
