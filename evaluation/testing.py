"""Test helpers of the evaluation app for tests anywhere in the project."""

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
