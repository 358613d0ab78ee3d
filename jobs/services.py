"""Starting jobs and keeping the queue healthy. Views start work with

    job = job_start("export_products", {"query": request.GET.urlencode()}, actor=request.user)
    return redirect("jobs:detail", job.pk)

and the job's page shows its progress, then its result."""

import datetime as dt
import json
import logging
import shutil
import time
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.registry import get_kind
from jobs.runner import beat_key
from jobs.storage import jobs_dir, scratch_dir

logger = logging.getLogger(__name__)


def _enqueue(job_id: int) -> None:
    from jobs.tasks import run_job

    try:
        run_job(job_id)
    except Exception:  # the queue is down: the job stays queued and the sweeper hands it over again
        logger.exception("job %s could not be queued; the sweeper will retry", job_id)


def job_start(kind: str, params: dict | None = None, *, actor) -> Job:
    """Record a job and hand it to the workers once the transaction commits."""
    spec = get_kind(kind)
    if actor is None or not actor.is_authenticated or (spec.allowed is not None and not spec.allowed(actor)):
        raise PermissionDenied(_("Bạn không có quyền chạy công việc này."))
    params = params or {}
    try:
        json.dumps(params)
    except (TypeError, ValueError):
        raise ValidationError({"params": _("Tham số của công việc phải là dữ liệu JSON.")}) from None
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            params=params,
            created_by=actor,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            heartbeat_at=timezone.now(),
        )
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def job_find_or_start(kind: str, params: dict | None = None, *, actor) -> Job:
    """The same user's identical job that is still queued or running, else a new one: a repeated
    click (or a reloaded link) does not queue the same work twice."""
    params = params or {}
    if actor is not None and actor.is_authenticated:
        for job in Job.objects.filter(
            kind=kind, created_by=actor, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ):
            if job.params == params:
                return job
    return job_start(kind, params, actor=actor)


def job_start_after(parent: Job, kind: str, params: dict | None = None, *, actor) -> Job:
    """The one job that follows `parent` (e.g. the import confirmed from its preview): started
    once, its params naming the parent ("after"); asking again gives the same job."""
    params = {**(params or {}), "after": parent.pk}
    with transaction.atomic():
        # Serialises two requests for the same parent (SQLite's write transactions already are).
        Job.objects.select_for_update().filter(pk=parent.pk).first()
        existing = Job.objects.filter(kind=kind, created_by=actor, params__after=parent.pk).first()
        return existing or job_start(kind, params, actor=actor)


def _alive(job: Job, stale_before) -> bool:
    beat = cache.get(beat_key(job.pk))
    return beat is not None and beat >= stale_before.timestamp()


def jobs_sweep(now=None) -> dict:
    """Run by every worker at start and every minute. A running job whose worker fell silent is
    queued again (up to JOBS_MAX_ATTEMPTS runs) or marked failed; a queued job whose message was
    lost is handed to the queue again; old results and scratch files are deleted."""
    now = now or timezone.now()
    stats = {"retried": 0, "failed": 0, "requeued": 0, "expired": 0}
    stale_before = now - dt.timedelta(seconds=settings.JOBS_STALE_SECONDS)
    for job in Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=stale_before):
        if _alive(job, stale_before):
            continue
        same_run = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)
        if job.attempts < settings.JOBS_MAX_ATTEMPTS:
            with transaction.atomic():
                if same_run.update(
                    status=Job.Status.QUEUED,
                    worker="",
                    heartbeat_at=now,
                    progress_message=_("Chạy lại: tiến trình xử lý trước đã dừng giữa chừng."),
                ):
                    stats["retried"] += 1
                    transaction.on_commit(partial(_enqueue, job.pk))
        elif same_run.update(
            status=Job.Status.FAILED,
            finished_at=now,
            error=_(
                "Công việc bị dừng giữa chừng (tiến trình xử lý bị tắt) sau %(n)d lần chạy; "
                "không có kết quả dở dang nào được ghi. Hãy chạy lại."
            )
            % {"n": job.attempts},
        ):
            stats["failed"] += 1
    lost_before = now - dt.timedelta(seconds=settings.JOBS_REQUEUE_SECONDS)
    for job_id in Job.objects.filter(status=Job.Status.QUEUED, heartbeat_at__lt=lost_before).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            if Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(heartbeat_at=now):
                stats["requeued"] += 1
                transaction.on_commit(partial(_enqueue, job_id))
    stats["expired"] = _expire_results(now)
    _remove_scratch(time.time() - 24 * 3600)
    return stats


def _expire_results(now) -> int:
    old = Job.objects.filter(finished_at__lt=now - dt.timedelta(days=settings.JOBS_KEEP_DAYS)).exclude(
        result_file=""
    )
    count = 0
    for job in old:
        shutil.rmtree(jobs_dir() / str(job.pk), ignore_errors=True)
        count += Job.objects.filter(pk=job.pk).update(result_file="")
    return count


def _remove_scratch(before: float) -> None:
    for path in scratch_dir().iterdir():
        try:
            if path.stat().st_mtime < before:
                path.unlink()
        except OSError:
            continue
