"""Test helpers: run the jobs a request starts, and fetch a finished job's file."""

from contextlib import contextmanager

from django.test import TestCase
from django.urls import reverse


@contextmanager
def run_jobs():
    """Jobs started inside the block run when it ends, in this thread (huey's immediate mode,
    which the test settings turn on): the test's transaction never commits, so the on-commit
    hand-over to the queue is run here."""
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        yield callbacks


def started_job(response):
    """The Job a view started, from its redirect to the job's page."""
    from django.urls import resolve

    from jobs.models import Job

    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.view_name == "jobs:detail", match.view_name
    return Job.objects.get(pk=match.kwargs["pk"])


def job_file(client, url, params=None) -> bytes:
    """GET a URL that starts a job, run the job, then download its result as that client."""
    with run_jobs():
        response = client.get(url, params or {})
    job = started_job(response)
    job.refresh_from_db()
    assert job.status == job.Status.SUCCEEDED, (job.status, job.error)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    return b"".join(download.streaming_content)
