"""Periodic task of core: the daily backup (huey, run by the background worker)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.backup import scheduled_backup

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="0"))  # 02:00 Asia/Ho_Chi_Minh (HUEY utc=False)
def daily_backup() -> str:
    target, manifest = scheduled_backup()
    logger.warning("daily backup: %s (%d tables)", target, len(manifest["models"]))
    return str(target)
