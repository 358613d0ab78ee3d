"""How a worker runs one job: claim it, keep a heartbeat, report progress, store the result
atomically, record the outcome. Called by the huey task jobs.tasks.run_job."""

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.registry import JobError, JobFile, get_kind
from jobs.storage import place_result

logger = logging.getLogger(__name__)


def progress_key(job_id: int) -> str:
    return f"jobs:progress:{job_id}"


def beat_key(job_id: int) -> str:
    return f"jobs:beat:{job_id}"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:120]


class Progress:
    """The callback a kind reports its progress through. The page reads the cache (written at most
    twice a second); the database row is written every few seconds, but never from inside the
    kind's own transaction: an import holds its writes in one transaction, which other
    connections cannot see (and, on SQLite, which blocks every other writer)."""

    def __init__(self, job: Job, *, cache_every: float = 0.5, db_every: float = 3.0):
        self.job = job
        self.done = 0
        self.total = 0
        self.message = ""
        self._cache_every, self._db_every = cache_every, db_every
        self._cache_at = self._db_at = 0.0
        self._depth = len(connection.atomic_blocks)

    def state(self) -> dict:
        return {"done": self.done, "total": self.total, "message": self.message}

    def __call__(self, done: int, total: int | None = None, message=None) -> None:
        self.done = max(int(done), 0)
        if total is not None:
            self.total = max(int(total), 0)
        if message is not None:
            self.message = str(message)[:200]
        now = time.monotonic()
        if now - self._cache_at >= self._cache_every:
            self._cache_at = now
            cache.set(progress_key(self.job.pk), self.state(), timeout=24 * 3600)
        if now - self._db_at >= self._db_every and len(connection.atomic_blocks) <= self._depth:
            self._db_at = now
            Job.objects.filter(pk=self.job.pk, attempts=self.job.attempts).update(
                progress_done=self.done,
                progress_total=self.total,
                progress_message=self.message,
                heartbeat_at=timezone.now(),
            )

    def counting(self, rows, *, every: int = 500, message=None):
        """Pass rows through, reporting how many went by (the total is often unknown)."""
        count = 0
        for count, row in enumerate(rows, start=1):  # noqa: B007 - count is read after the loop
            yield row
            if count % every == 0:
                self(count, message=message)
        self(count, message=message)


class Heartbeat(threading.Thread):
    """Says "still alive" in the cache while the kind works, even through a long step that
    reports no progress; the sweeper retries a job whose worker fell silent."""

    def __init__(self, job_id: int):
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.job_id = job_id
        self.every = settings.JOBS_HEARTBEAT_SECONDS
        self._stop_event = threading.Event()

    def beat(self) -> None:
        cache.set(beat_key(self.job_id), time.time(), timeout=settings.JOBS_STALE_SECONDS * 4)

    def run(self) -> None:
        while not self._stop_event.wait(self.every):
            try:
                self.beat()
            except Exception:  # a cache hiccup must not kill the job
                logger.warning("job %s: heartbeat failed", self.job_id, exc_info=True)

    def stop(self) -> None:
        self._stop_event.set()


def _outcome(job: Job, outcome, progress: Progress) -> dict:
    fields = {
        "status": Job.Status.SUCCEEDED,
        "progress_done": max(progress.done, progress.total),
        "progress_total": max(progress.done, progress.total),
        "progress_message": "",
    }
    if isinstance(outcome, JobFile):
        fields.update(
            result_file=place_result(job, outcome.path),
            result_name=outcome.filename,
            result_type=outcome.content_type,
            report=outcome.report,
        )
    elif isinstance(outcome, dict):
        fields["report"] = outcome
    elif outcome is not None:
        raise TypeError(f"job kind {job.kind} returned {type(outcome).__name__}")
    return fields


def _failed(message: str) -> dict:
    return {"status": Job.Status.FAILED, "error": message}


def job_run(job_id: int) -> str:
    """Run a queued job; a job that is not queued (already taken, finished or failed) is left
    alone, so a message delivered twice does nothing. Returns the job's new status."""
    me = worker_id()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        worker=me,
        error="",
    )
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("created_by").get(pk=job_id)
    # The fence: if the sweeper gave this job to another worker meanwhile, this run records nothing.
    mine = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts, worker=me)
    progress = Progress(job)
    heartbeat = Heartbeat(job.pk)
    heartbeat.beat()
    heartbeat.start()
    try:
        kind = get_kind(job.kind)
        with translation.override(job.language or settings.LANGUAGE_CODE):
            fields = _outcome(job, kind.func(job, progress), progress)
    except JobError as exc:
        fields = _failed(str(exc))
    except ValidationError as exc:
        fields = _failed(" ".join(exc.messages))
    except PermissionDenied as exc:
        fields = _failed(str(exc) or _("Bạn không có quyền chạy công việc này."))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        fields = _failed(_("Lỗi hệ thống khi chạy công việc; lỗi đã được ghi lại để kiểm tra."))
    finally:
        heartbeat.stop()
    mine.update(finished_at=timezone.now(), heartbeat_at=timezone.now(), **fields)
    cache.delete_many([progress_key(job.pk), beat_key(job.pk)])
    return fields["status"]
