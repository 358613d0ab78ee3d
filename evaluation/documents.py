"""The dossier's documents: the required-documents checklist of each dossier kind (data:
evaluation/data/dossier-QD26-2026.yaml), uploads through the one upload policy into private storage,
replacement with history, and the on-screen forms Mẫu 01 and 02."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import AuditReason
from core.services import attribute, require_perm
from core.uploads import check_document
from evaluation.models import Dossier, DossierDocument, DossierFormData

DATA = Path(__file__).resolve().parent / "data" / "dossier-QD26-2026.yaml"
FOOD_GROUPS = ("I.", "II.")  # Phụ lục I: thực phẩm, đồ uống


@dataclass(frozen=True)
class Item:
    code: str
    label_vi: str
    kinds: tuple[str, ...]
    form: str | None
    applies: str | None
    source: str
    verified: bool


@dataclass(frozen=True)
class FormField:
    code: str
    label_vi: str
    required: bool
    multiline: bool
    prefill: str | None


@dataclass(frozen=True)
class FormSpec:
    code: str
    title_vi: str
    number_vi: str
    verified: bool
    fields: tuple[FormField, ...]
    subtitle_vi: str = ""  # may hold {year}: the dossier's year
    signature_vi: str = "ĐẠI DIỆN"
    signature_hint_vi: str = ""
    source: str = ""

    def subtitle(self, dossier) -> str:
        return self.subtitle_vi.replace("{year}", str(timezone.localdate(dossier.created_at).year))


@cache
def _raw() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@cache
def checklist() -> tuple[Item, ...]:
    return tuple(
        Item(
            code=d["code"],
            label_vi=d["label_vi"],
            kinds=tuple(d.get("kinds") or ()),
            form=d.get("form"),
            applies=d.get("applies"),
            source=d.get("source", ""),
            verified=bool(d.get("verified")),
        )
        for d in _raw()["documents"]
    )


def item(code: str) -> Item:
    for entry in checklist():
        if entry.code == code:
            return entry
    raise KeyError(code)


@cache
def form_spec(code: str) -> FormSpec:
    raw = _raw()["forms"][code]
    return FormSpec(
        code=code,
        title_vi=raw["title_vi"],
        number_vi=raw["number_vi"],
        verified=bool(raw.get("verified")),
        fields=tuple(
            FormField(
                f["code"], f["label_vi"], bool(f.get("required")), bool(f.get("multiline")), f.get("prefill")
            )
            for f in raw["fields"]
        ),
        subtitle_vi=raw.get("subtitle_vi", ""),
        signature_vi=raw.get("signature_vi", "ĐẠI DIỆN"),
        signature_hint_vi=raw.get("signature_hint_vi", ""),
        source=raw.get("source", ""),
    )


def required_items(dossier: Dossier) -> list[Item]:
    category = dossier.product.category.code if dossier.product.category_id else ""
    return [
        i
        for i in checklist()
        if dossier.kind in i.kinds and (i.applies != "food" or category.startswith(FOOD_GROUPS))
    ]


def form_missing_fields(spec: FormSpec, data: dict) -> list[str]:
    return [f.label_vi for f in spec.fields if f.required and not str(data.get(f.code, "")).strip()]


def checklist_status(dossier: Dossier) -> list[dict]:
    """Every checklist item with its documents and whether it is required and present (the page's
    table). Two queries."""
    docs: dict[str, list[DossierDocument]] = {}
    for doc in dossier.documents.select_related("uploaded_by").order_by("kind", "id"):
        docs.setdefault(doc.kind, []).append(doc)
    forms = {f.form: f for f in dossier.forms.all()}
    required = {i.code for i in required_items(dossier)}
    rows = []
    for entry in checklist():
        form = forms.get(entry.form) if entry.form else None
        form_complete = bool(form) and not form_missing_fields(form_spec(entry.form), form.data)
        present = bool(docs.get(entry.code)) or form_complete
        rows.append(
            {
                "item": entry,
                "documents": docs.get(entry.code, []),
                "required": entry.code in required,
                "present": present,
                "form": form,
                "form_complete": form_complete,
            }
        )
    return rows


def missing_documents(dossier: Dossier) -> list[str]:
    """The labels of the required items the dossier lacks."""
    return [
        row["item"].label_vi for row in checklist_status(dossier) if row["required"] and not row["present"]
    ]


# Services --------------------------------------------------------------------------------------------


def lock_dossier(dossier: Dossier) -> Dossier:
    """The dossier re-read and locked for the rest of the transaction."""
    return (
        Dossier.objects.select_for_update(of=("self",)).select_related("product__category").get(pk=dossier.pk)
    )


def _store(document: DossierDocument, upload, actor) -> None:
    document.file_format = check_document(upload)
    document.original_name = Path(getattr(upload, "name", "") or "tai-lieu").name[:255]
    document.size = upload.size
    document.uploaded_by = actor if getattr(actor, "pk", None) else None
    document.uploaded_at = timezone.now()
    upload.seek(0)
    # The storage writes under DOSSIER_FILES_DIR; the old file (on a replacement) stays on disk and
    # its name stays in the history.
    document.file.save("upload", upload, save=False)


@transaction.atomic
def document_upload(dossier: Dossier, *, kind: str, upload, actor, note: str = "") -> DossierDocument:
    """Add a document of a checklist kind. The file is checked by content (core.uploads)."""
    dossier = lock_dossier(dossier)
    require_perm(actor, "evaluation.change_dossier_papers", dossier)
    return add_document(dossier, kind=kind, upload=upload, actor=actor, note=note)


def add_document(dossier, *, kind, upload, actor, note="") -> DossierDocument:
    """Store a document in a dossier the caller has locked and checked the actor's right on
    (document_upload, and the self-assessment's evidence photos and answers)."""
    try:
        item(kind)
    except KeyError:
        raise ValidationError({"kind": _("Loại tài liệu không có trong danh mục hồ sơ.")}) from None
    if upload is None:
        raise ValidationError({"file": _("Chưa chọn tệp.")})
    document = DossierDocument(dossier=dossier, kind=kind, note=note[:255])
    _store(document, upload, actor)
    attribute(document, actor, AuditReason.DOCUMENT_UPLOADED, kind)
    document.save()
    return document


@transaction.atomic
def document_replace(document: DossierDocument, *, upload, actor, note: str | None = None) -> DossierDocument:
    """A new version of the document: the row keeps its place (and the claims that cite it); the
    previous file stays in the history."""
    dossier = lock_dossier(document.dossier)
    require_perm(actor, "evaluation.change_dossier_papers", dossier)
    document = DossierDocument.objects.select_for_update().get(pk=document.pk, dossier=dossier)
    _store(document, upload, actor)
    if note is not None:
        document.note = note[:255]
    attribute(document, actor, AuditReason.DOCUMENT_REPLACED, document.kind)
    document.save()
    return document


def prefill(dossier: Dossier) -> dict:
    """Values the forms can take from the registry."""
    product, producer = dossier.product, dossier.product.producer
    return {
        "producer_name": product.producer_name,
        "producer_kind": producer.get_kind_display() if producer else "",
        "address": producer.address if producer else "",
        "representative": producer.representative if producer else "",
        "phone": producer.phone if producer else "",
        "email": producer.email if producer else "",
        "tax_code": producer.registration_code if producer else "",
        "product_name": product.name,
        "product_group": str(product.category) if product.category_id else "",
        "dossier_kind": dossier.get_kind_display(),
    }


def form_initial(dossier: Dossier, code: str) -> dict:
    saved = DossierFormData.objects.filter(dossier=dossier, form=code).first()
    if saved is not None:
        return dict(saved.data)
    values = prefill(dossier)
    return {f.code: values.get(f.prefill, "") for f in form_spec(code).fields if f.prefill}


@transaction.atomic
def dossier_form_save(dossier: Dossier, code: str, data: dict, *, actor) -> DossierFormData:
    """Save Mẫu 01 or 02 as filled on screen (incomplete drafts are kept; the checklist counts the
    form only once every required field is filled)."""
    dossier = lock_dossier(dossier)
    require_perm(actor, "evaluation.change_dossier_papers", dossier)
    spec = form_spec(code)
    clean = {f.code: str(data.get(f.code, "")).strip()[:4000] for f in spec.fields}
    form, _created = DossierFormData.objects.select_for_update().get_or_create(dossier=dossier, form=code)
    form.data = clean
    form.updated_by = actor
    attribute(form, actor, AuditReason.FORM_FILLED, spec.number_vi)
    form.save()
    return form


def visible_document(user, pk: int) -> DossierDocument:
    document = DossierDocument.objects.select_related("dossier__product__producer").get(pk=pk)
    if not user.has_perm("evaluation.view_dossier", document.dossier):
        raise PermissionDenied
    return document
