"""A job's page (progress, then its result), its download and the user's recent jobs."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from core.web import staff_required
from jobs.models import Job
from jobs.registry import KINDS
from jobs.selectors import job_progress, recent_jobs
from jobs.storage import result_path


def _visible_job(request, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("created_by"), pk=pk)
    if not request.user.has_perm("jobs.view_job", job):
        raise Http404  # another user's job: not even its existence is told
    return job


def _label(job: Job) -> str:
    kind = KINDS.get(job.kind)
    return str(kind.label) if kind else job.kind


@require_safe
@staff_required
def job_detail(request, pk):
    job = _visible_job(request, pk)
    context = {"job": job, "label": _label(job), "progress": job_progress(job)}
    if request.htmx and not request.htmx.boosted:
        if job.is_active:
            return render(request, "jobs/_progress.html", context)
        # Finished: the whole page shows the result (a download or a report).
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    kind = KINDS.get(job.kind)
    context["report_template"] = kind.template if kind and job.report is not None else ""
    context["has_file"] = job.status == Job.Status.SUCCEEDED and result_path(job.result_file) is not None
    return render(request, "jobs/detail.html", context)


@require_safe
@staff_required
def job_download(request, pk):
    job = _visible_job(request, pk)
    path = result_path(job.result_file) if job.status == Job.Status.SUCCEEDED else None
    if path is None:
        raise Http404
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.result_name or path.name,
        content_type=job.result_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@staff_required
def job_index(request):
    jobs = [(job, _label(job), job_progress(job)) for job in recent_jobs(request.user)]
    return render(request, "jobs/index.html", {"jobs": jobs})
