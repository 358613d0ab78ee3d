"""huey tasks of the jobs app: the one task that runs any job, and the sweeper."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from jobs.runner import job_run
from jobs.services import jobs_sweep


@db_task()
def run_job(job_id: int) -> str:
    return job_run(job_id)


@db_periodic_task(crontab(minute="*"))
def sweep_jobs() -> dict:
    return jobs_sweep()


@on_startup()
def sweep_at_start() -> None:
    # A worker that starts after a crash finds the jobs it left; the sweep skips those still alive.
    from django.db import close_old_connections

    try:
        jobs_sweep()
    finally:
        close_old_connections()
