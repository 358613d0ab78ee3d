"""Periodic tasks of certificates: the daily expiry reminders (huey, run by the background worker;
`manage.py send_expiry_reminders` does the same by hand). Idempotent: a second run sends nothing."""

from django.conf import settings
from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from certificates.reminders import send_expiry_reminders
from certificates.services import product_figures_reconcile


@db_periodic_task(crontab(hour="7", minute="0"))  # 07:00 Asia/Ho_Chi_Minh (HUEY utc=False)
def daily_expiry_reminders() -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        return send_expiry_reminders()


@db_periodic_task(crontab(hour="0", minute="5"))  # just after midnight, Asia/Ho_Chi_Minh
def daily_product_figures() -> int:
    """The catalogue's product figures checked against the certificates
    (certificates.services.product_figures_reconcile): how many products were refreshed."""
    from core.content import public_content_changed

    changed = product_figures_reconcile()
    if changed:
        public_content_changed()
    return changed
