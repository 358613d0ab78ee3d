"""Where job results live: settings.JOBS_DIR (OCOP_VAR_DIR/jobs), a private folder that no URL
serves; jobs.views.job_download hands a file to the one user allowed to have it."""

import os
import secrets
from pathlib import Path

from django.conf import settings


def jobs_dir() -> Path:
    return Path(settings.JOBS_DIR)


def scratch_dir() -> Path:
    path = jobs_dir() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_scratch_path(job, suffix: str = "") -> Path:
    """A fresh path for a kind to write its result into; the runner renames it into place, on the
    same file system, so a result file is either whole or absent."""
    return scratch_dir() / f"{job.pk}-{job.attempts}-{secrets.token_hex(8)}{suffix}"


def result_path(relative: str) -> Path | None:
    """The absolute path of a stored result, or None if it escapes JOBS_DIR or is gone."""
    if not relative:
        return None
    root = jobs_dir().resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def place_result(job, scratch: Path) -> str:
    """Move a finished scratch file to its final place; returns the path relative to JOBS_DIR."""
    suffix = "".join(Path(scratch).suffixes[-1:])
    relative = f"{job.pk}/result{suffix}"
    final = jobs_dir() / relative
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(scratch, final)  # atomic on one file system: never a half-written result
    return relative
