"""Periodic tasks of evaluation (huey, run by the background worker)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from evaluation.services import latest_scored_reconcile


@db_periodic_task(crontab(hour="0", minute="15"))  # after midnight, Asia/Ho_Chi_Minh
def daily_latest_scored() -> int:
    """The advisor's marker of each product's latest scored dossier checked against the
    dossiers (evaluation.services.latest_scored_reconcile): how many dossiers were corrected."""
    return latest_scored_reconcile()
