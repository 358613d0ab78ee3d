"""Background jobs: start, progress, result stored privately and handed only to its owner, failures,
a job delivered twice, and the sweeper that retries or fails the jobs of a killed worker."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import is_office
from jobs.models import Job
from jobs.registry import JobError, JobFile, job_kind
from jobs.runner import beat_key, job_run, progress_key
from jobs.services import job_find_or_start, job_start, job_start_after, jobs_sweep
from jobs.storage import job_scratch_path, jobs_dir
from jobs.testing import run_jobs

pytestmark = pytest.mark.django_db
RUNS = []


@job_kind("test_numbers", label="Ghi các số")
def numbers(job, progress):
    RUNS.append(job.pk)
    count = job.params.get("count", 3)
    path = job_scratch_path(job, ".txt")
    with path.open("w") as fh:
        for i in range(count):
            fh.write(f"{i}\n")
            progress(i + 1, count, "Đang ghi")
    return JobFile(path, "so.txt", "text/plain", report={"rows": count})


@job_kind("test_report", label="Báo cáo", allowed=is_office)
def report_only(job, progress):
    return {"answer": 42}


@job_kind("test_refused", label="Bị từ chối")
def refused(job, progress):
    path = job_scratch_path(job, ".txt")
    path.write_text("half")
    raise JobError("Tệp không hợp lệ ở dòng 3.")


@job_kind("test_broken", label="Hỏng")
def broken(job, progress):
    job_scratch_path(job, ".txt").write_text("half")
    raise RuntimeError("boom")


def test_a_job_runs_after_commit_and_keeps_its_result_private(users, settings):
    with run_jobs():
        job = job_start("test_numbers", {"count": 5}, actor=users["officer"])
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED  # nothing runs before the commit
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.progress_done, job.progress_total, job.attempts) == (5, 5, 1)
    assert job.report == {"rows": 5} and job.result_name == "so.txt"
    stored = jobs_dir() / job.result_file
    assert stored.read_text() == "0\n1\n2\n3\n4\n"
    assert settings.MEDIA_ROOT not in stored.parents
    assert list((jobs_dir() / "tmp").iterdir()) == []  # the scratch file was moved, not copied


def test_only_the_owner_and_the_office_see_and_download_a_job(client, users):
    with run_jobs():
        job = job_start("test_numbers", {"count": 2}, actor=users["officer"])
    detail, download = reverse("jobs:detail", args=[job.pk]), reverse("jobs:download", args=[job.pk])
    for name in ("officer", "office"):
        client.force_login(users[name])
        page = client.get(detail)
        assert page.status_code == 200 and download in page.content.decode()
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"0\n1\n"
        assert 'filename="so.txt"' in response["Content-Disposition"]
    for name in ("council", "producer"):
        client.force_login(users[name])
        assert client.get(detail).status_code == 404
        assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302  # the login page


def test_the_page_shows_progress_then_the_result(client, users):
    client.force_login(users["office"])
    job = job_start("test_numbers", {"count": 4}, actor=users["office"])  # queued: no commit in a test
    url = reverse("jobs:detail", args=[job.pk])
    html = client.get(url).content.decode()
    assert "<progress" in html and 'hx-trigger="every 1s"' in html
    assert '<noscript><meta http-equiv="refresh"' in html  # without JavaScript the page reloads
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    cache.set(progress_key(job.pk), {"done": 1, "total": 4, "message": "Đang ghi"})
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert 'value="25"' in fragment.content.decode() and "Đang ghi" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)
    job_run(job.pk)
    finished = client.get(url, headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"  # htmx reloads the whole page, which shows the result
    html = client.get(url).content.decode()
    assert "<progress" not in html and reverse("jobs:download", args=[job.pk]) in html
    listing = client.get(reverse("jobs:index")).content.decode()
    assert url in listing and "Hoàn thành" in listing


def test_a_job_must_be_known_allowed_and_json(users):
    with pytest.raises(ValidationError):
        job_start("no_such_kind", {}, actor=users["office"])
    with pytest.raises(PermissionDenied):
        job_start("test_report", {}, actor=users["officer"])
    with pytest.raises(ValidationError):
        job_start("test_numbers", {"day": dt.date(2026, 1, 1)}, actor=users["office"])
    assert not Job.objects.exists()


def test_failures_are_recorded_without_a_result(client, users):
    with run_jobs():
        refused_job = job_start("test_refused", {}, actor=users["office"])
        broken_job = job_start("test_broken", {}, actor=users["office"])
    refused_job.refresh_from_db()
    broken_job.refresh_from_db()
    assert (refused_job.status, refused_job.error) == (Job.Status.FAILED, "Tệp không hợp lệ ở dòng 3.")
    assert broken_job.status == Job.Status.FAILED and "boom" not in broken_job.error
    assert "Lỗi hệ thống" in broken_job.error
    assert refused_job.result_file == broken_job.result_file == ""
    client.force_login(users["office"])
    assert (
        "Tệp không hợp lệ ở dòng 3."
        in client.get(reverse("jobs:detail", args=[refused_job.pk])).content.decode()
    )
    assert client.get(reverse("jobs:download", args=[refused_job.pk])).status_code == 404


def test_a_job_delivered_twice_runs_once(users):
    RUNS.clear()
    job = job_start("test_numbers", {}, actor=users["office"])
    assert job_run(job.pk) == Job.Status.SUCCEEDED
    assert job_run(job.pk) == "skipped"
    assert [job.pk] == RUNS


def test_the_same_export_is_not_queued_twice(users):
    first = job_find_or_start("test_numbers", {"count": 2}, actor=users["office"])
    assert job_find_or_start("test_numbers", {"count": 2}, actor=users["office"]) == first
    assert job_find_or_start("test_numbers", {"count": 3}, actor=users["office"]) != first
    assert job_find_or_start("test_numbers", {"count": 2}, actor=users["officer"]) != first
    job_run(first.pk)
    assert job_find_or_start("test_numbers", {"count": 2}, actor=users["office"]) != first
    follow = job_start_after(first, "test_numbers", {"count": 1}, actor=users["office"])
    assert job_start_after(first, "test_numbers", {"count": 1}, actor=users["office"]) == follow
    assert follow.params == {"count": 1, "after": first.pk}


def _running(users, *, attempts: int, silent_for: int) -> Job:
    job = job_start("test_numbers", {"count": 2}, actor=users["office"])
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        attempts=attempts,
        worker="dead-host:1:1",
        heartbeat_at=timezone.now() - dt.timedelta(seconds=silent_for),
    )
    return job


def test_the_sweeper_retries_a_job_whose_worker_died(users, settings):
    job = _running(users, attempts=1, silent_for=settings.JOBS_STALE_SECONDS + 5)
    with run_jobs():
        assert jobs_sweep()["retried"] == 1
        job.refresh_from_db()
        assert (job.status, job.worker) == (Job.Status.QUEUED, "")
    job.refresh_from_db()  # the retry ran when the sweep committed
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)
    assert (jobs_dir() / job.result_file).read_text() == "0\n1\n"


def test_the_sweeper_fails_a_job_after_its_last_attempt(users, settings):
    job = _running(users, attempts=settings.JOBS_MAX_ATTEMPTS, silent_for=settings.JOBS_STALE_SECONDS + 5)
    with run_jobs():
        assert jobs_sweep()["failed"] == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "dừng giữa chừng" in job.error
    assert job.result_file == "" and job.finished_at is not None


def test_the_sweeper_leaves_a_slow_but_living_job_alone(users, settings):
    quiet = _running(users, attempts=1, silent_for=settings.JOBS_STALE_SECONDS + 5)
    fresh = _running(users, attempts=1, silent_for=5)
    cache.set(beat_key(quiet.pk), time.time())  # its heartbeat thread still beats (a long transaction)
    assert jobs_sweep() == {"retried": 0, "failed": 0, "requeued": 0, "expired": 0}
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.RUNNING}
    assert fresh.pk != quiet.pk


def test_the_sweeper_requeues_lost_messages_and_expires_old_results(users, settings):
    with run_jobs():
        done = job_start("test_numbers", {"count": 1}, actor=users["office"])
    lost = job_start("test_numbers", {"count": 1}, actor=users["office"])  # its message never committed
    Job.objects.filter(pk=lost.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    done.refresh_from_db()
    Job.objects.filter(pk=done.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=settings.JOBS_KEEP_DAYS + 1)
    )
    with run_jobs():
        stats = jobs_sweep()
    assert (stats["requeued"], stats["expired"]) == (1, 1)
    lost.refresh_from_db()
    assert lost.status == Job.Status.SUCCEEDED
    assert not (jobs_dir() / done.result_file).exists()
    assert Job.objects.get(pk=done.pk).result_file == ""


def test_a_superseded_run_records_nothing(users):
    """A worker that was only slow comes back after the sweeper gave its job to another: the
    attempt number fences it off."""
    job = job_start("test_numbers", {"count": 1}, actor=users["office"])

    @job_kind("test_overtaken", label="Bị vượt")
    def overtaken(job, progress):
        Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1, worker="other:2:2")
        return {"late": True}

    Job.objects.filter(pk=job.pk).update(kind="test_overtaken")
    job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.report, job.worker) == (Job.Status.RUNNING, None, "other:2:2")
