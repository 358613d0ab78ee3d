"""Background job kinds of the catalogue (jobs.registry): the printable catalogue for fairs and
partners, started from promotion's page (promotion.views.catalogue)."""

import shutil

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.printed import CHUNK, CatalogueFilters, catalogue_pdf, catalogue_products
from jobs.registry import JobError, JobFile, job_kind
from jobs.storage import job_scratch_path
from promotion.forms import CatalogueForm
from promotion.rules import can_print_catalogue

PDF_TYPE = "application/pdf"


@job_kind(
    "fair_catalogue_pdf",
    label=gettext_lazy("Danh mục sản phẩm OCOP in cho hội chợ, đối tác (PDF)"),
    allowed=can_print_catalogue,
)
def fair_catalogue_pdf(job, progress):
    user = job.created_by
    if not can_print_catalogue(user):
        raise PermissionDenied
    form = CatalogueForm(QueryDict(job.params.get("query", "")), user=user)
    if not form.is_valid():
        raise JobError(_("Bộ lọc không hợp lệ: %(e)s") % {"e": form.errors.as_text()})
    data = form.cleaned_data
    filters = CatalogueFilters(
        stars=list(data.get("stars") or []),
        group=data.get("group"),
        commune=data.get("commune"),
        event=data.get("event"),
        valid_only=bool(data.get("valid_only")),
    )
    language = form.cleaned_data["language"]
    qs = catalogue_products(user, filters)
    count = qs.count()
    progress(0, count, _("Đang dựng danh mục"))
    out = catalogue_pdf(
        qs.iterator(chunk_size=CHUNK),
        count=count,
        filters=filters,
        language=language,
        progress=lambda done, total: progress(done, total, _("Đang dựng danh mục")),
    )
    path = job_scratch_path(job, ".pdf")
    with open(path, "wb") as target:
        shutil.copyfileobj(out, target)
    stem = "danh-muc-ocop" if language == "vi" else "ocop-catalogue"
    return JobFile(path, f"{stem}-{language}-{timezone.localdate():%Y%m%d}.pdf", PDF_TYPE)
