"""Test helpers of the evaluation app for tests anywhere in the project."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from core.audit import AuditReason
from core.services import attribute
from core.testing.files import pdf_bytes
from evaluation.documents import checklist_status
from evaluation.models import DossierDocument


def attach_required_documents(dossier, actor=None) -> list[DossierDocument]:
    """Give the dossier a small valid PDF for every required document it lacks, so that the commune
    may forward it (evaluation.services.dossier_transition checks the checklist). No permission check:
    any state, any actor."""
    added = []
    for row in checklist_status(dossier):
        if row["required"] and not row["present"]:
            code = row["item"].code
            document = DossierDocument(
                dossier=dossier, kind=code, original_name=f"{code}.pdf", file_format="pdf", size=0
            )
            content = pdf_bytes()
            document.size = len(content)
            document.file.save("test", SimpleUploadedFile(f"{code}.pdf", content), save=False)
            attribute(document, actor, AuditReason.DOCUMENT_UPLOADED, code)
            document.save()
            added.append(document)
    return added


def dossier_in_round(product, *, office, chair, members):
    """A new dossier of the product taken through the commune (report, required documents) and
    received by the province, in a new round "Đợt 1 năm 2026" of chair and members: what a
    council member scores. Returns (dossier, round)."""
    from evaluation import services
    from evaluation.models import DossierState as S

    dossier = services.dossier_create(product, kind="new", actor=office)
    services.dossier_transition(dossier, S.SUBMITTED, actor=office, today=dt.date(2026, 3, 2))
    services.dossier_write_report(
        dossier, actor=office, report_origin="a", report_labour="b", report_idea="c", report_identity="d"
    )
    attach_required_documents(dossier)
    services.dossier_transition(dossier, S.COMMUNE_FORWARDED, actor=office, today=dt.date(2026, 3, 9))
    services.dossier_transition(dossier, S.PROVINCE_RECEIVED, actor=office)
    round_ = services.round_create(
        name="Đợt 1 năm 2026", year=2026, number=1, chair=chair, members=members, actor=office
    )
    services.round_assign(round_, [dossier], actor=office)
    return dossier, round_
