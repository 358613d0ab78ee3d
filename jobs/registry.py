"""The kinds of background job. Each app declares its own in its tasks.py:

    from jobs.registry import JobFile, job_kind

    @job_kind("export_products", label=_("Xuất danh sách sản phẩm"), allowed=is_staff_member)
    def export_products(job, progress):
        path = job_scratch_path(job, ".xlsx")
        write_xlsx(path, ..., rows=progress.counting(rows))
        return JobFile(path, "san-pham.xlsx", XLSX_TYPE)

The function receives the Job and a progress(done, total=None, message="") callback, and returns
a JobFile (a file it wrote under job_scratch_path, moved into place atomically by the runner), a
JSON-serialisable dict (a report shown by `template`), or a JobFile carrying a report. It raises
JobError with a Vietnamese message for a failure the user can act on. A kind may run twice for one
job (a retry after a killed worker): it must be idempotent (write in one transaction, or only files)."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class JobError(Exception):
    """A failure whose message (Vietnamese, for the user) is shown on the job's page."""


@dataclass(frozen=True)
class JobFile:
    path: Path
    filename: str
    content_type: str = "application/octet-stream"
    report: dict | None = None


@dataclass(frozen=True)
class JobKind:
    name: str
    func: Callable
    label: str
    # Who may start it (a predicate of the user); the kind's own code checks again.
    allowed: Callable | None = None
    # Renders job.report on the job's page (context: job, report).
    template: str = ""


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, label, allowed: Callable | None = None, template: str = ""):
    def register(func):
        if name in KINDS and KINDS[name].func.__qualname__ != func.__qualname__:
            raise ValueError(f"job kind {name!r} is registered twice")
        KINDS[name] = JobKind(name=name, func=func, label=label, allowed=allowed, template=template)
        return func

    return register


def get_kind(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationError({"kind": _("Loại công việc không tồn tại: %(k)s.") % {"k": name}}) from None
