"""A real worker: `manage.py run_huey` in its own process takes a job from a SQLite queue file,
runs it against the test database and records the result."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queue_file(tmp_path):
    """The web side enqueues into a SQLite queue file in the test's folder (not var/huey.sqlite3,
    which `make run`'s worker reads)."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import SqliteStorage

    HUEY.immediate = False
    saved = HUEY.storage
    HUEY.storage = SqliteStorage(HUEY.name, filename=str(tmp_path / "huey.sqlite3"))
    yield tmp_path / "huey.sqlite3"
    HUEY.storage = saved
    HUEY.immediate = True


def test_a_worker_process_runs_a_queued_export(client, tmp_path, queue_file, settings):
    from django.core.management import call_command

    from core.testing import make_users
    from geo.models import Commune
    from jobs.models import Job
    from jobs.services import job_start
    from reports.tests.helpers import read_xlsx

    with open(os.devnull, "w") as quiet:
        call_command("load_reference", stdout=quiet)
    users = make_users({c.code: c for c in Commune.objects.all()})
    assert tmp_path / "jobs" == settings.JOBS_DIR  # where the worker below writes (its OCOP_VAR_DIR)
    job = job_start("export_producers", {"query": ""}, actor=users["office"])
    assert queue_file.exists() and Job.objects.get(pk=job.pk).status == Job.Status.QUEUED

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.base",
        "OCOP_VAR_DIR": str(tmp_path),
        "DATABASE_URL": database_url(),
    }
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_huey", "--workers", "1", "--no-periodic"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if not job.is_active:
                break
            time.sleep(0.3)
    finally:
        worker.send_signal(signal.SIGINT)  # huey's graceful stop
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert job.status == Job.Status.SUCCEEDED, (job.status, job.error, output[-2000:])
    assert job.attempts == 1 and f":{worker.pid}:" in job.worker
    client.force_login(users["office"])
    response = client.get(reverse("jobs:download", args=[job.pk]))
    names = {row[1] for row in read_xlsx(b"".join(response.streaming_content))[4:]}
    assert {"HTX Na Chi Lăng", "HTX Thạch đen Thất Khê"} <= names
