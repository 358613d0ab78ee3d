from django.core.cache import cache

from jobs.models import Job
from jobs.runner import progress_key


def job_progress(job: Job) -> dict:
    """done, total, message and percent (None when the total is unknown) of a job, from the
    worker's latest report (cache) while it runs, else from its row."""
    state = cache.get(progress_key(job.pk)) if job.status == Job.Status.RUNNING else None
    if state is None:
        state = {"done": job.progress_done, "total": job.progress_total, "message": job.progress_message}
    total, done = state["total"], state["done"]
    if job.status == Job.Status.SUCCEEDED:
        percent = 100
    else:
        percent = min(100, round(100 * done / total)) if total else None
    return {**state, "percent": percent}


def recent_jobs(user, limit: int = 30):
    return Job.objects.filter(created_by=user).order_by("-created_at", "-id")[:limit]


def own_job(user, pk, *, kind: str) -> Job | None:
    """The user's own job of that kind, or None (also for a malformed id)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Job.objects.filter(pk=pk, kind=kind, created_by=user).first()
