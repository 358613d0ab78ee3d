"""The import as it was before the bulk path (reports.importing before it checked in memory and
wrote in batches): every row through the domain services, one savepoint per row. Kept as the
reference the bulk import is compared with (test_import_bulk): same report, same records."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import is_office
from certificates.models import Certificate
from certificates.services import certificate_record_historical
from core.text import fold_words
from producers.models import Producer, ProducerKind
from producers.services import producer_create, producer_update
from products.models import Product, ProductStatus
from products.services import product_create, publish_certified
from reports.importing import (
    CERTIFICATE_ERROR_COLUMNS,
    CREATE,
    MISSING_CODE,
    PRODUCER_ERROR_COLUMNS,
    PRODUCT_ERROR_COLUMNS,
    SKIP,
    UPDATE,
    ImportReport,
    RowResult,
    Table,
    _RowReader,
    criteria_set_for,
    kind_from_text,
)


class _RowFailed(Exception):
    pass


class _Importer(_RowReader):
    # producers

    def producer(self, row: RowResult, values: dict) -> Producer | None:
        fields = self.producer_fields(row, values)
        name = values.get("producer")
        if not name:
            if row.errors:
                raise _RowFailed
            return None
        code = fields.get("registration_code")
        pk = self.registry.producers_by_code.get(code) if code else None
        # A row with a tax code is that producer or a new one: never a namesake matched by name
        # (which would overwrite the namesake's tax code and merge two producers).
        if pk is None and not code:
            candidates = self.registry.producers_by_name.get(fold_words(name), [])
            if len(candidates) > 1:
                self.fail(
                    row,
                    "producer",
                    _("Có %(n)d chủ thể cùng tên «%(v)s»: thêm cột «Mã số thuế» để phân biệt.")
                    % {"n": len(candidates), "v": name},
                )
                raise _RowFailed
            pk = candidates[0] if candidates else None
        if row.errors:
            raise _RowFailed
        if pk is None:
            fields.setdefault("kind", kind_from_text(name) or ProducerKind.HOUSEHOLD)
            try:
                producer = producer_create(actor=self.actor, name=name, **fields)
            except ValidationError as exc:
                self.service_errors(row, exc, PRODUCER_ERROR_COLUMNS, "producer")
                raise _RowFailed from exc
            if not producer.registration_code:
                row.warnings.append(self.message(MISSING_CODE))
            self.registry.add_producer(producer)
            row.actions["producer"] = CREATE
            return producer
        producer = Producer.objects.get(pk=pk)
        changes = {k: v for k, v in fields.items() if getattr(producer, k) != v}
        if not changes:
            row.actions["producer"] = SKIP
            return producer
        try:
            producer = producer_update(producer, actor=self.actor, **changes)
        except ValidationError as exc:
            self.service_errors(row, exc, PRODUCER_ERROR_COLUMNS, "producer")
            raise _RowFailed from exc
        row.actions["producer"] = UPDATE
        return producer

    # products

    def product(self, row: RowResult, values: dict, producer: Producer | None) -> Product:
        category = self.category(row, values)
        if row.errors:
            raise _RowFailed
        name = values["product"]
        place = producer.commune if producer is not None else self.placement(row, values).commune
        owner = producer.pk if producer is not None else ("commune", place.pk if place else None)
        candidates = self.registry.products.get((owner, fold_words(name)), [])
        if len(candidates) > 1:
            self.fail(
                row,
                "product",
                _("Chủ thể này có %(n)d sản phẩm cùng tên «%(v)s».") % {"n": len(candidates), "v": name},
            )
            raise _RowFailed
        if not candidates:
            try:
                product = product_create(
                    actor=self.actor,
                    name=name,
                    producer=producer,
                    category=category,
                    commune=place,
                    status=ProductStatus.ACTIVE if category and category.is_leaf else ProductStatus.DRAFT,
                )
            except ValidationError as exc:
                self.service_errors(row, exc, PRODUCT_ERROR_COLUMNS, "product")
                raise _RowFailed from exc
            self.registry.add_product(product)
            row.actions["product"] = CREATE
            return product
        product = Product.objects.select_related("producer").get(pk=candidates[0])
        if category is None or self.categories.within(product.category_id, category):
            row.actions["product"] = SKIP
            return product
        from products.services import product_update

        try:
            product = product_update(product, actor=self.actor, category=category)
        except ValidationError as exc:
            self.service_errors(row, exc, PRODUCT_ERROR_COLUMNS, "product")
            raise _RowFailed from exc
        row.actions["product"] = UPDATE
        return product

    # certificates

    def certificate(self, row: RowResult, values: dict, product: Product) -> None:
        stars = values.get("stars")
        issued_on = values.get("issued_on") or values.get("decision_date")
        note = ""
        if issued_on is None and values.get("year"):
            issued_on = dt.date(values["year"], 1, 1)
            note = _(
                "Ngày cấp chưa rõ: lấy ngày 01/01/%(y)d (ước tính) theo năm công nhận trong tệp nhập."
            ) % {"y": values["year"]}
            row.warnings.append(note)
        if stars is None and issued_on is None:
            return
        if stars is None or issued_on is None:
            row.warnings.append(
                _("Không ghi nhận giấy chứng nhận: cần cả hạng sao và ngày quyết định (hoặc năm công nhận).")
            )
            return
        row.issued_on = issued_on
        row.issued_on_estimated = bool(note)
        number = values.get("number", "")
        match = (product.pk, issued_on, number)
        if match in self.certificates_seen:
            row.actions["certificate"] = SKIP
            row.warnings.append(
                _("Giấy chứng nhận đã có ở dòng %(n)d (cùng sản phẩm, ngày cấp và số giấy).")
                % {"n": self.certificates_seen[match]}
            )
            return
        self.certificates_seen[match] = row.line
        existing = Certificate.objects.filter(product=product, issued_on=issued_on, number=number).first()
        data = {"stars": stars}
        # What the file leaves blank, an existing certificate keeps.
        for key in ("score", "expires_on", "decision_number", "decision_date", "criteria_set", "issuer"):
            value = values.get(key)
            # ... except the issuer of a certificate whose star changed: the service decides.
            if value in (None, "") and existing is not None and (key != "issuer" or existing.stars == stars):
                value = getattr(existing, key)
            data[key] = value
        data["decision_number"] = data["decision_number"] or ""
        data["issuer"] = data["issuer"] or ""
        data["criteria_set"] = data["criteria_set"] or criteria_set_for(issued_on)
        estimated = bool(note)
        if (
            existing is not None
            and all(getattr(existing, k) == v for k, v in data.items())
            and existing.issued_on_estimated == estimated
        ):
            row.actions["certificate"] = SKIP
            self.publish(row, product)
            return
        try:
            _certificate, created = certificate_record_historical(
                product,
                issued_on=issued_on,
                number=number,
                note=existing.note if existing is not None and not note else note,
                actor=self.actor,
                **data,
            )
        except ValidationError as exc:
            self.service_errors(row, exc, CERTIFICATE_ERROR_COLUMNS, "stars")
            raise _RowFailed from exc
        if _certificate.issued_on_estimated != estimated:
            Certificate.objects.filter(pk=_certificate.pk).update(issued_on_estimated=estimated)
        row.actions["certificate"] = CREATE if created else UPDATE
        self.publish(row, product)

    def publish(self, row: RowResult, product: Product) -> None:
        if publish_certified(product):
            Product.objects.filter(pk=product.pk).update(status=product.status)
            if row.actions.get("product") == SKIP:
                row.actions["product"] = UPDATE

    def run_row(self, line: int, raw: dict) -> RowResult:
        row, values = self.parse(line, raw)
        if row.errors:
            # Still resolve the place and category, so every problem of the row shows at once.
            self.producer_fields(row, values)
            self.category(row, values)
            return row
        try:
            with transaction.atomic():
                producer = self.producer(row, values)
                product = self.product(row, values, producer)
                self.certificate(row, values, product)
                if row.errors:
                    raise _RowFailed
                self.category_flags(row, product)
        except _RowFailed:
            row.actions = {}
        return row


class _Rollback(Exception):
    pass


def import_products(table: Table, *, actor, commit: bool) -> ImportReport:
    """Check and write every row in one transaction; roll it back on a dry run or when any
    row has an error, so the database is unchanged unless everything succeeded."""
    if actor is None or not is_office(actor):
        raise PermissionDenied(_("Chỉ Văn phòng OCOP tỉnh được nhập danh sách sản phẩm."))
    importer = _Importer(table, actor)
    report = ImportReport(rows=[], table=table)
    try:
        with transaction.atomic():
            for line, raw in table.rows:
                report.rows.append(importer.run_row(line, raw))
            if not commit or not report.ok:
                raise _Rollback
    except _Rollback:
        return report
    report.committed = True
    return report
