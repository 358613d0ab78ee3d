"""Writes to batches. Each function checks the actor's right, validates every field at once, runs in
one transaction and records who did it (django-simple-history, core.audit).

The rules of a printed code (traceability.models): once issued, a batch keeps its product and lot
and cannot be deleted; it can be recalled, with a date and a reason, and stays recalled."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import AuditReason
from core.services import assign, attribute, full_clean, require_perm
from traceability.models import Batch

BATCH_FIELDS = (
    "product",
    "lot",
    "produced_on",
    "expires_on",
    "quantity",
    "unit",
    "area",
    "inputs_note",
    "note",
    "is_sample",
)
FROZEN_ONCE_ISSUED = ("product", "lot")


def _prepare(batch: Batch) -> None:
    batch.lot = "".join((batch.lot or "").split())
    batch.inputs_note = (batch.inputs_note or "").strip()
    batch.note = (batch.note or "").strip()


def _harvest_errors(batch: Batch, harvests) -> dict:
    """The harvests a batch came from: harvest entries of a season of an area that supplies the
    product, gathered no later than the batch was produced."""
    errors = []
    for entry in harvests:
        season = entry.season
        if getattr(entry, "kind", "") != "harvest":
            errors.append(_("«%(e)s» không phải là lần thu hoạch.") % {"e": entry})
        elif not season.area.products.filter(pk=batch.product_id).exists():
            errors.append(_("Vùng «%(a)s» không cung cấp nguyên liệu cho sản phẩm này.") % {"a": season.area})
        elif entry.date > batch.produced_on:
            errors.append(
                _("Lần thu hoạch ngày %(d)s sau ngày sản xuất của lô.")
                % {"d": entry.date.strftime("%d/%m/%Y")}
            )
    return {"harvests": errors} if errors else {}


def _business_errors(batch: Batch, *, harvests=None) -> dict:
    errors: dict = {}
    if batch.area_id and batch.product_id and not batch.area.products.filter(pk=batch.product_id).exists():
        errors["area"] = [_("Vùng nguyên liệu này không được ghi là nơi cung cấp cho sản phẩm.")]
    if batch.produced_on and batch.produced_on > timezone.localdate():
        errors["produced_on"] = [_("Ngày sản xuất không được sau hôm nay.")]
    if harvests:
        errors.update(_harvest_errors(batch, harvests))
    return errors


def _save(batch: Batch, actor, reason: AuditReason, *, harvests=None, detail: str = "") -> Batch:
    _prepare(batch)
    full_clean(batch, _business_errors(batch, harvests=harvests))
    attribute(batch, actor, reason, detail)
    batch.save()
    if harvests is not None and hasattr(batch, "harvests"):
        batch.harvests.set(harvests)
    return batch


def batch_create(data: dict, *, actor, harvests=None, reason: AuditReason = AuditReason.CREATED) -> Batch:
    """A new batch of data["product"]. `harvests`: diary entries it came from."""
    batch = Batch()
    assign(batch, data, BATCH_FIELDS)
    if batch.product_id is None:
        raise ValidationError({"product": [_("Chọn sản phẩm.")]})
    require_perm(actor, "traceability.add_batch")
    require_perm(actor, "traceability.change_batch", batch)
    with transaction.atomic():
        return _save(batch, actor, reason, harvests=harvests)


def batch_update(batch: Batch, data: dict, *, actor, harvests=None) -> Batch:
    require_perm(actor, "traceability.change_batch", batch)
    with transaction.atomic():
        batch = Batch.objects.select_for_update().select_related("product").get(pk=batch.pk)
        if batch.code_issued_at:
            frozen = {
                key: [_("Mã QR của lô đã được phát hành (in nhãn): không đổi được sản phẩm và số lô.")]
                for key in FROZEN_ONCE_ISSUED
                if key in data and _value(data[key]) != _value(getattr(batch, key))
            }
            if frozen:
                raise ValidationError(frozen)
        assign(batch, data, BATCH_FIELDS)
        require_perm(actor, "traceability.change_batch", batch)  # the product it moves to, too
        return _save(batch, actor, AuditReason.UPDATED, harvests=harvests)


def _value(value):
    return getattr(value, "pk", value)


def batch_issue_code(batch: Batch, *, actor) -> Batch:
    """Record that the batch's code left the system (a label printed, a QR image taken): from now on
    it resolves forever. The GTIN it carries is kept. A second call changes nothing."""
    require_perm(actor, "traceability.change_batch", batch)
    with transaction.atomic():
        batch = Batch.objects.select_for_update().select_related("product").get(pk=batch.pk)
        if batch.code_issued_at is None:
            batch.code_issued_at = timezone.now()
            batch.issued_gtin = batch.product.gtin or ""
            attribute(batch, actor, AuditReason.BATCH_CODE_ISSUED)
            batch.save(update_fields=["code_issued_at", "issued_gtin", "updated_at"])
    return batch


def batch_recall(batch: Batch, *, on: dt.date, reason: str, actor) -> Batch:
    require_perm(actor, "traceability.recall_batch", batch)
    reason = (reason or "").strip()
    errors: dict = {}
    if not reason:
        errors["recall_reason"] = [_("Nêu lý do thu hồi lô.")]
    if on is None:
        errors["recalled_on"] = [_("Nhập ngày thu hồi.")]
    elif on > timezone.localdate():
        errors["recalled_on"] = [_("Ngày thu hồi không được sau hôm nay.")]
    elif on < batch.produced_on:
        errors["recalled_on"] = [_("Ngày thu hồi không được trước ngày sản xuất.")]
    if batch.recalled_on:
        errors["recalled_on"] = [
            _("Lô đã được thu hồi ngày %(d)s.") % {"d": batch.recalled_on.strftime("%d/%m/%Y")}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch.pk)
        batch.recalled_on, batch.recall_reason = on, reason
        attribute(batch, actor, AuditReason.BATCH_RECALLED, reason[:200])
        batch.save(update_fields=["recalled_on", "recall_reason", "updated_at"])
    return batch


def batch_delete(batch: Batch, *, actor) -> None:
    require_perm(actor, "traceability.delete_batch", batch)
    if batch.code_issued_at:
        raise ValidationError(_("Mã QR của lô đã được phát hành: lô không xóa được, chỉ có thể thu hồi."))
    with transaction.atomic():
        attribute(batch, actor, AuditReason.DELETED)
        batch.delete()
