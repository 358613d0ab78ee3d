"""Writes to certificates: issue, recognition decisions, historical certificates, violations and
revocation. Each function validates, runs in one transaction, records history (attribute) and
leaves e-mail to transaction.on_commit (notices.services.notice_send)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import (
    HOLD_MAX_DAYS_AFTER_EXPIRY,
    NUMBER_SUFFIX,
    QD26_IN_FORCE,
    REVOCATION_DEADLINE_DAYS,
    VALIDITY_MONTHS,
    Certificate,
    CriteriaSet,
    Decision,
    NumberCounter,
    RevocationReason,
    Violation,
    add_months,
)
from core.audit import AuditReason
from core.content import changes_public_content
from core.services import advance_version, attribute, full_clean, require_perm

# Lowest council score of each certifiable star band (Điều 3.3; unchanged since QĐ 1048): a product
# may be rated below its band (a missed minimum mark caps it) but never above it.
BAND_FLOOR = {3: Decimal(50), 4: Decimal(70), 5: Decimal(90)}
# The choices' values, once: Choices.values builds a new list (with every label) on each call,
# which the import pays twice per row.
CRITERIA_SET_VALUES = frozenset(CriteriaSet.values)
ISSUER_VALUES = frozenset(Certificate.Issuer.values)


def _publish_product(product, actor) -> None:
    """Certified means public (products.services.publish_certified): from the moment a
    certificate is recorded, its product's page answers, whatever it still lacks."""
    from products.models import Product
    from products.services import publish_certified

    product = Product.objects.select_for_update().get(pk=product.pk)
    if publish_certified(product):
        advance_version(product)
        attribute(product, actor, AuditReason.PUBLISHED_WHEN_CERTIFIED)
        product.save(update_fields=["status", "version", "updated_at"])


# The product figures the public catalogue reads (products.models.Product.current_stars) --------

FIGURES_BATCH = 500  # product ids per UPDATE (SQLite's bound parameters, PostgreSQL's plan size)


def _current_figures(today: dt.date):
    """The current certificate of the outer product, unless revoked by `today`."""
    from django.db.models import OuterRef

    from certificates.models import not_revoked_q

    return Certificate.objects.filter(not_revoked_q(today), product=OuterRef("pk"), is_current=True)


def product_figures_refresh(product_ids, *, today: dt.date | None = None) -> None:
    """Write Product.current_stars and valid_until of these products from their current
    certificates, in set-based UPDATEs (no history: derived, like search_text). Every write of a
    certificate calls it for its product inside the same transaction; bulk writers (import,
    generators) for every product they touched."""
    from django.db.models import Subquery

    from products.models import Product

    today = today or timezone.localdate()
    current = _current_figures(today)
    ids = sorted({pk for pk in product_ids if pk is not None})
    for start in range(0, len(ids), FIGURES_BATCH):
        Product.objects.filter(pk__in=ids[start : start + FIGURES_BATCH]).update(
            current_stars=Subquery(current.values("stars")[:1]),
            valid_until=Subquery(current.values("valid_until")[:1]),
        )


def product_figures_expected(today: dt.date | None = None) -> dict[int, tuple[int, dt.date]]:
    """{product id: (current_stars, valid_until)} as the certificates give them today, for the
    products that have figures (the others: NULL, NULL)."""
    from certificates.models import not_revoked_q

    today = today or timezone.localdate()
    rows = Certificate.objects.filter(not_revoked_q(today), is_current=True).values_list(
        "product_id", "stars", "valid_until"
    )
    return {product_id: (stars, until) for product_id, stars, until in rows}


def product_figures_reconcile(today: dt.date | None = None) -> int:
    """The daily check (certificates.tasks): every product whose stored figures differ from its
    certificates' is refreshed; returns how many. Reads never depend on it (validity is
    valid_until >= today, exact on any day): it clears the star of a certificate whose
    revocation date was in the future when recorded, and repairs rows that a write bypassing
    the services (raw SQL, a bare queryset.update()) left stale."""
    from products.models import Product

    today = today or timezone.localdate()
    expected = product_figures_expected(today)
    stale = [
        pk
        for pk, stars, until in Product.objects.values_list("pk", "current_stars", "valid_until").iterator(
            chunk_size=5000
        )
        if expected.get(pk, (None, None)) != (stars, until)
    ]
    with transaction.atomic():
        product_figures_refresh(stale, today=today)
    return len(stale)


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def next_certificate_number(year: int) -> str:
    """The next "<seq>/<year>/GCN-OCOP". Call inside transaction.atomic: the year's counter row
    stays locked until the transaction ends (SELECT … FOR UPDATE on PostgreSQL; SQLite runs
    write transactions one at a time), so two decisions never take the same number. A number
    already typed in by hand is skipped."""
    counter, _created = NumberCounter.objects.select_for_update().get_or_create(year=year)
    while True:
        counter.last += 1
        number = f"{counter.last}/{year}/{NUMBER_SUFFIX}"
        if not Certificate.objects.filter(number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number


@changes_public_content
@transaction.atomic
def certificate_issue(
    product,
    *,
    stars: int,
    issued_on: dt.date,
    actor,
    score: Decimal | None = None,
    number: str = "",
    decision_number: str = "",
    decision_date: dt.date | None = None,
    issuer: str = Certificate.Issuer.PROVINCE,
    criteria_set: str = "QD26-2026",
    scored_with: str = "",
    is_sample: bool = False,
    note: str = "",
    check_perm: bool = True,
    decision: Decision | None = None,
    auto_number: bool = False,
) -> Certificate:
    if check_perm:
        require_perm(actor, "certificates.add_certificate")
    if auto_number and not number:
        number = next_certificate_number(issued_on.year)
    certificate = Certificate(
        product=product,
        stars=stars,
        issued_on=issued_on,
        expires_on=add_months(issued_on, VALIDITY_MONTHS),
        score=score,
        number=number,
        decision=decision,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=issuer,
        criteria_set=criteria_set,
        scored_with=scored_with if scored_with != criteria_set else "",
        is_sample=is_sample,
        note=note,
    )
    # A new certificate (re-evaluation or upgrade) supersedes the product's previous one;
    # a validation error below rolls this back with the rest of the transaction.
    for previous in Certificate.objects.select_for_update().filter(product=product, is_current=True):
        previous.is_current = False
        attribute(previous, actor, AuditReason.CERTIFICATE_REPLACED)
        previous.save(update_fields=["is_current"])
    full_clean(certificate, exclude=["public_code"])
    attribute(certificate, actor, AuditReason.CERTIFICATE_ISSUED)
    certificate.save()
    _publish_product(product, actor)
    product_figures_refresh([product.pk])
    return certificate


# Transitional hold (Điều 12 of Decision 26/2026) -------------------------------------------------


def certificate_is_148_era(certificate: Certificate) -> bool:
    """Issued under the rules before Decision 26/2026 (148/QĐ-TTg or earlier)."""
    return certificate.issued_on < QD26_IN_FORCE or certificate.criteria_set != CriteriaSet.QD26_2026


def hold_limit(certificate: Certificate) -> dt.date:
    return certificate.expires_on + dt.timedelta(days=HOLD_MAX_DAYS_AFTER_EXPIRY)


@changes_public_content  # valid_until: what is valid, on the portal and the dashboard
@transaction.atomic
def certificate_hold(certificate: Certificate, *, actor, today: dt.date | None = None) -> Certificate:
    """The holder of a 148-era certificate applied for re-evaluation (Điều 12): the certificate
    stays valid until the decision, at most 180 days after its expiry. Refused for a certificate
    of Decision 26/2026, a revoked or superseded one, or one already more than 180 days expired."""
    today = today or timezone.localdate()
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate_is_148_era(certificate):
        raise ValidationError(
            _("Chỉ giấy chứng nhận cấp trước Quyết định 26/2026/QĐ-TTg được giữ hiệu lực chờ đánh giá lại.")
        )
    if not certificate.is_current or (certificate.revoked_on and certificate.revoked_on <= today):
        raise ValidationError(_("Giấy chứng nhận đã bị thu hồi hoặc không còn là giấy hiện hành."))
    limit = hold_limit(certificate)
    if today > limit:
        raise ValidationError(
            _("Giấy chứng nhận đã hết hạn quá 180 ngày (đến %(d)s): nộp hồ sơ đánh giá mới.")
            % {"d": _d(limit)}
        )
    if certificate.held_until != limit:
        certificate.held_until = limit
        attribute(certificate, actor, AuditReason.CERTIFICATE_HELD, _d(limit))
        certificate.save(update_fields=["held_until"])
        product_figures_refresh([certificate.product_id])
    return certificate


@changes_public_content  # valid_until: what is valid, on the portal and the dashboard
@transaction.atomic
def certificate_end_hold(certificate: Certificate, *, on: dt.date, actor) -> Certificate:
    """The re-evaluation was decided on `on`: the hold ends that day (or is removed when the
    decision came before expiry). A certificate without a hold is left as it is."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.held_until is None:
        return certificate
    certificate.held_until = min(on, certificate.held_until) if on > certificate.expires_on else None
    attribute(certificate, actor, AuditReason.CERTIFICATE_HOLD_ENDED, _d(on))
    certificate.save(update_fields=["held_until"])
    product_figures_refresh([certificate.product_id])
    return certificate


# Recognition decisions ------------------------------------------------------------------------------


def _score_errors(stars, score) -> list[str]:
    if score is None or score == "":
        return []
    if isinstance(score, bool | float):
        return [_("Điểm phải là số thập phân chính xác (Decimal), không dùng số thực dấu phẩy động.")]
    try:
        value = Decimal(str(score))
    except InvalidOperation:
        return [_("Điểm «%(v)s» không phải là số.") % {"v": score}]
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        return [_("Điểm phải từ 0 đến 100.")]
    if stars in BAND_FLOOR and value < BAND_FLOOR[stars]:
        return [
            _("Điểm %(score)s chưa đủ cho hạng %(stars)d sao (cần từ %(floor)s điểm).")
            % {"score": value, "stars": stars, "floor": BAND_FLOOR[stars]}
        ]
    return []


def _stars_errors(stars) -> list[str]:
    if isinstance(stars, bool) or not isinstance(stars, int) or not 3 <= stars <= 5:
        return [_("Hạng sao phải là 3, 4 hoặc 5 (chỉ sản phẩm 3–5 sao được cấp giấy chứng nhận).")]
    return []


def _issuer_errors(stars, issuer) -> list[str]:
    # Điều 4: the province certifies 3★ and 4★, the Ministry 5★.
    if stars == 5 and issuer != Certificate.Issuer.MINISTRY:
        return [_("Sản phẩm 5 sao do Bộ Nông nghiệp và Môi trường công nhận, không phải UBND tỉnh.")]
    if stars in (3, 4) and issuer == Certificate.Issuer.MINISTRY:
        return [
            _("Bộ Nông nghiệp và Môi trường chỉ công nhận sản phẩm 5 sao; 3–4 sao do UBND tỉnh công nhận.")
        ]
    return []


def _criteria_errors(criteria_set, issued_on) -> list[str]:
    if criteria_set not in CRITERIA_SET_VALUES:
        return [
            _("Bộ tiêu chí «%(v)s» không hợp lệ (chọn một trong: %(all)s).")
            % {"v": criteria_set, "all": ", ".join(CriteriaSet.values)}
        ]
    if criteria_set == CriteriaSet.QD26_2026 and issued_on and issued_on < QD26_IN_FORCE:
        return [_("Bộ tiêu chí QĐ 26/2026/QĐ-TTg chỉ áp dụng từ ngày %(d)s.") % {"d": _d(QD26_IN_FORCE)}]
    return []


@changes_public_content
@transaction.atomic
def decision_recognise(
    *,
    number: str,
    signed_on: dt.date,
    signer_name: str,
    signer_title: str = "",
    issuer: str = Certificate.Issuer.PROVINCE,
    entries: list[dict],
    actor,
) -> tuple[Decision, list[Certificate]]:
    """Record a recognition decision and issue one certificate per entry
    ({"product", "stars", "score", "criteria_set"}, optionally "number" and "scored_with").
    The certificates are issued on the signing day, carry the decision's number and date, get an
    automatic number when none is given, and supersede each product's current certificate. All or nothing: one
    bad entry refuses the whole decision, and the message names the product."""
    from products.models import Product, ProductStatus

    require_perm(actor, "certificates.add_decision")
    number = (number or "").strip()
    errors: dict[str, list[str]] = {}
    if not number:
        errors.setdefault("number", []).append(_("Nhập số quyết định."))
    if not isinstance(signed_on, dt.date) or isinstance(signed_on, dt.datetime):
        errors.setdefault("signed_on", []).append(_("Nhập ngày ký quyết định."))
    elif signed_on > timezone.localdate():
        errors.setdefault("signed_on", []).append(_("Ngày ký quyết định không được sau hôm nay."))
    if not (signer_name or "").strip():
        errors.setdefault("signer_name", []).append(_("Nhập tên người ký quyết định."))
    if issuer not in ISSUER_VALUES or issuer == Certificate.Issuer.DISTRICT:
        errors.setdefault("issuer", []).append(
            _("Quyết định công nhận do UBND tỉnh hoặc Bộ Nông nghiệp và Môi trường ban hành.")
        )
    if not entries:
        errors.setdefault("entries", []).append(_("Quyết định phải công nhận ít nhất một sản phẩm."))
    elif number and Decision.objects.filter(issuer=issuer, number=number, signed_on=signed_on).exists():
        errors.setdefault("number", []).append(
            _("Quyết định số %(n)s ngày %(d)s đã được ghi nhận.") % {"n": number, "d": _d(signed_on)}
        )

    seen: set[int] = set()
    for index, entry in enumerate(entries or [], start=1):
        product = entry.get("product")
        if not isinstance(product, Product) or product.pk is None:
            errors.setdefault("entries", []).append(_("Dòng %(i)d: không có sản phẩm hợp lệ.") % {"i": index})
            continue
        stars = entry.get("stars")
        problems = _stars_errors(stars)
        problems += _score_errors(stars, entry.get("score"))
        if not problems:
            problems += _issuer_errors(stars, issuer)
        problems += _criteria_errors(entry.get("criteria_set", CriteriaSet.QD26_2026), signed_on)
        if product.pk in seen:
            problems.append(_("sản phẩm xuất hiện hai lần trong quyết định."))
        if product.status == ProductStatus.RETIRED:
            problems.append(_("sản phẩm đã ngừng sản xuất."))
        seen.add(product.pk)
        for problem in problems:
            errors.setdefault("entries", []).append(
                _("Sản phẩm «%(name)s»: %(problem)s") % {"name": product.name, "problem": problem}
            )
    if errors:
        raise ValidationError(errors)

    decision = Decision(
        number=number,
        signed_on=signed_on,
        signer_name=signer_name.strip(),
        signer_title=(signer_title or "").strip(),
        issuer=issuer,
        kind=Decision.Kind.RECOGNITION,
    )
    full_clean(decision)
    attribute(decision, actor, AuditReason.RECOGNITION_DECISION_RECORDED)
    decision.save()

    certificates = []
    for entry in entries:
        product = entry["product"]
        score = entry.get("score")
        try:
            certificate = certificate_issue(
                product,
                stars=entry["stars"],
                score=Decimal(str(score)) if score not in (None, "") else None,
                issued_on=signed_on,
                number=(entry.get("number") or "").strip(),
                auto_number=True,
                decision=decision,
                decision_number=number,
                decision_date=signed_on,
                issuer=issuer,
                criteria_set=entry.get("criteria_set", CriteriaSet.QD26_2026),
                scored_with=entry.get("scored_with", ""),
                actor=actor,
                check_perm=False,
            )
        except ValidationError as exc:
            raise ValidationError(
                {
                    "entries": [
                        _("Sản phẩm «%(name)s»: %(problem)s") % {"name": product.name, "problem": m}
                        for m in exc.messages
                    ]
                }
            ) from exc
        certificates.append(certificate)
    return decision, certificates


# Historical certificates ----------------------------------------------------------------------------


# Change reasons of the history records certificate_record_historical writes.
HISTORICAL_REASON = AuditReason.CERTIFICATE_HISTORICAL
NO_LONGER_CURRENT_REASON = AuditReason.CERTIFICATE_NO_LONGER_CURRENT
NOW_CURRENT_REASON = AuditReason.CERTIFICATE_NOW_CURRENT
# What certificate_record_historical leaves out of the model's validation.
HISTORICAL_CLEAN_EXCLUDE = ("public_code", "is_current")


def _make_current_latest(product, actor) -> None:
    """The product's latest certificate (by issue date) is its current one."""
    certificates = list(
        Certificate.objects.select_for_update().filter(product=product).order_by("-issued_on", "-pk")
    )
    latest = certificates[0] if certificates else None
    for c in certificates:
        if c.is_current and c is not latest:
            c.is_current = False
            attribute(c, actor, NO_LONGER_CURRENT_REASON)
            c.save(update_fields=["is_current"])
    if latest is not None and not latest.is_current:
        latest.is_current = True
        attribute(latest, actor, NOW_CURRENT_REASON)
        latest.save(update_fields=["is_current"])
    product_figures_refresh([product.pk])


def historical_errors(
    *,
    stars,
    issued_on,
    expires_on,
    score,
    decision_date,
    criteria_set,
    issuer,
    today: dt.date | None = None,
) -> dict[str, list[str]]:
    """Business checks of a certificate issued before the system, by field (also used by the import)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(field, messages):
        if messages:
            errors.setdefault(field, []).extend(messages)

    add("stars", _stars_errors(stars))
    add("score", _score_errors(stars, score))
    if issued_on and issued_on > today:
        add("issued_on", [_("Ngày cấp không được sau hôm nay.")])
    if issued_on and expires_on and expires_on <= issued_on:
        add("expires_on", [_("Ngày hết hiệu lực phải sau ngày cấp.")])
    if decision_date and issued_on and decision_date > issued_on:
        add("decision_date", [_("Ngày quyết định không được sau ngày cấp.")])
    add("criteria_set", _criteria_errors(criteria_set, issued_on))
    if issuer and issuer not in ISSUER_VALUES:
        add("issuer", [_("Cơ quan cấp không hợp lệ.")])
    elif stars == 5 and issuer and issuer != Certificate.Issuer.MINISTRY:
        add("issuer", [_("Sản phẩm 5 sao do Bộ Nông nghiệp và Môi trường công nhận.")])
    return errors


@changes_public_content
@transaction.atomic
def certificate_record_historical(
    product,
    *,
    stars: int,
    issued_on: dt.date,
    actor,
    criteria_set: str,
    score: Decimal | None = None,
    expires_on: dt.date | None = None,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    number: str = "",
    issuer: str = "",
    note: str = "",
    check_perm: bool = True,
) -> tuple[Certificate, bool]:
    """Record a certificate issued before the system. Recording it again (same product, issue
    date and number) updates it instead of adding a copy. Returns (certificate, created).
    Its expiry defaults to issue + 36 months; certificates under QĐ 148 keep their own expiry."""
    if check_perm:
        require_perm(actor, "certificates.add_certificate")
    number = (number or "").strip()
    existing = (
        Certificate.objects.select_for_update()
        .filter(product=product, issued_on=issued_on, number=number)
        .first()
    )
    certificate, errors = historical_certificate_build(
        product,
        existing,
        stars=stars,
        issued_on=issued_on,
        criteria_set=criteria_set,
        score=score,
        expires_on=expires_on,
        decision_number=decision_number,
        decision_date=decision_date,
        number=number,
        issuer=issuer,
        note=note,
    )
    created = existing is None
    full_clean(certificate, errors, exclude=list(HISTORICAL_CLEAN_EXCLUDE))
    attribute(certificate, actor, HISTORICAL_REASON)
    certificate.save()
    _make_current_latest(product, actor)
    _publish_product(product, actor)
    certificate.refresh_from_db()
    return certificate, created


def historical_certificate_build(
    product,
    existing: Certificate | None,
    *,
    stars: int,
    issued_on: dt.date,
    criteria_set: str,
    score: Decimal | None = None,
    expires_on: dt.date | None = None,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    number: str = "",
    issuer: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> tuple[Certificate, dict[str, list[str]]]:
    """What certificate_record_historical sets and checks before the model's validation, without
    reading or writing the database: `existing` is the product's certificate of that issue date
    and number (changed in place), or None for a new one (not current: the caller makes the
    product's latest certificate its current one). Returns (certificate, errors by field).
    `today`: the day the issue date may not be after (today by default)."""
    number = (number or "").strip()
    issuer = issuer or (Certificate.Issuer.MINISTRY if stars == 5 else Certificate.Issuer.PROVINCE)
    if expires_on is None and isinstance(issued_on, dt.date):
        expires_on = add_months(issued_on, VALIDITY_MONTHS)
    errors = historical_errors(
        stars=stars,
        issued_on=issued_on,
        expires_on=expires_on,
        score=score,
        decision_date=decision_date,
        criteria_set=criteria_set,
        issuer=issuer,
        today=today,
    )
    certificate = existing
    if certificate is None:
        certificate = Certificate(product=product, issued_on=issued_on, number=number, is_current=False)
    elif certificate.decision_id is not None:
        errors.setdefault("number", []).append(
            _("Giấy chứng nhận này được cấp trong hệ thống theo quyết định; không sửa như giấy cũ.")
        )
    certificate.stars = stars
    certificate.score = score
    certificate.expires_on = expires_on
    certificate.decision_number = (decision_number or "").strip()
    certificate.decision_date = decision_date
    certificate.criteria_set = criteria_set
    certificate.issuer = issuer
    certificate.note = note
    return certificate, errors


def certificate_complete_errors(
    certificate: Certificate,
    *,
    decision_number: str,
    decision_date: dt.date | None,
    issued_on: dt.date,
    expires_on: dt.date,
    today: dt.date | None = None,
) -> dict[str, list[str]]:
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if certificate.decision_id is not None:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("Giấy chứng nhận này được cấp trong hệ thống theo quyết định; không sửa như giấy cũ.")
        )
    if not decision_number:
        errors.setdefault("decision_number", []).append(_("Cần số quyết định công nhận."))
    if issued_on > today:
        errors.setdefault("issued_on", []).append(_("Ngày cấp không được sau hôm nay."))
    if expires_on <= issued_on:
        errors.setdefault("expires_on", []).append(_("Ngày hết hiệu lực phải sau ngày cấp."))
    if decision_date and decision_date > issued_on:
        errors.setdefault("decision_date", []).append(_("Ngày quyết định không được sau ngày cấp."))
    if criteria := _criteria_errors(certificate.criteria_set, issued_on):
        errors.setdefault("issued_on", []).extend(criteria)
    return errors


@changes_public_content
@transaction.atomic
def certificate_complete(
    certificate: Certificate,
    *,
    decision_number: str,
    decision_date: dt.date | None,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    actor,
) -> Certificate:
    """Complete a certificate recorded from an older list (the data-quality worklist): its
    decision's number and date, and its real issue date, which clears the "estimated" mark. An
    expiry left empty, or still the one computed from the old date, follows the new date."""
    require_perm(actor, "certificates.change_certificate", certificate)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    decision_number = (decision_number or "").strip()
    if expires_on is None or expires_on == add_months(certificate.issued_on, VALIDITY_MONTHS):
        expires_on = add_months(issued_on, VALIDITY_MONTHS)
    errors = certificate_complete_errors(
        certificate,
        decision_number=decision_number,
        decision_date=decision_date,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    if errors:
        raise ValidationError(errors)
    certificate.decision_number = decision_number
    certificate.decision_date = decision_date
    certificate.issued_on = issued_on
    certificate.expires_on = expires_on
    certificate.issued_on_estimated = False
    full_clean(certificate, exclude=list(HISTORICAL_CLEAN_EXCLUDE))
    attribute(certificate, actor, AuditReason.CERTIFICATE_COMPLETED, decision_number)
    certificate.save()
    _make_current_latest(certificate.product, actor)
    certificate.refresh_from_db()
    return certificate


# Violations and revocation --------------------------------------------------------------------------


@changes_public_content
@transaction.atomic
def certificate_record_violation(
    certificate, *, found_on: dt.date, reason: str, details: str, actor
) -> Violation:
    """Record a finding under Điều 8. The revocation decision is due within 15 days."""
    require_perm(actor, "certificates.add_violation", certificate)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    errors: dict[str, list[str]] = {}
    if certificate.revoked_on:
        errors.setdefault("__all__", []).append(
            _("Giấy chứng nhận này đã bị thu hồi ngày %(d)s.") % {"d": _d(certificate.revoked_on)}
        )
    if isinstance(found_on, dt.date):
        if found_on < certificate.issued_on:
            errors.setdefault("found_on", []).append(
                _("Ngày phát hiện (%(f)s) không được trước ngày cấp giấy chứng nhận (%(i)s).")
                % {"f": _d(found_on), "i": _d(certificate.issued_on)}
            )
        if found_on > timezone.localdate():
            errors.setdefault("found_on", []).append(_("Ngày phát hiện không được sau hôm nay."))
    if not (details or "").strip():
        errors.setdefault("details", []).append(_("Ghi rõ nội dung vi phạm và cơ quan phát hiện."))
    violation = Violation(
        certificate=certificate,
        found_on=found_on,
        reason=reason,
        details=(details or "").strip(),
        due_on=found_on + dt.timedelta(days=REVOCATION_DEADLINE_DAYS)
        if isinstance(found_on, dt.date)
        else None,
    )
    full_clean(violation, errors, exclude=["details"] if "details" in errors else None)
    attribute(violation, actor, AuditReason.VIOLATION_RECORDED)
    violation.save()
    return violation


@transaction.atomic
def certificate_send_reminder(certificate, *, actor, day: dt.date | None = None):
    """The office's "Gửi nhắc": a reminder of the re-evaluation window or the expiry to the
    producer's accounts and the commune officers, in the app and by e-mail after commit, logged on
    the certificate (ReminderLog). Returns the log line."""
    from certificates.models import ReminderLog
    from certificates.reminders import log_reminder, reminder_text, stage_on
    from certificates.selectors import certificate_recipients
    from notices.services import notice_send

    require_perm(actor, "certificates.send_reminder", certificate)
    day = day or timezone.localdate()
    certificate = Certificate.objects.select_related("product", "product__producer").get(pk=certificate.pk)
    if not certificate.is_current or (certificate.revoked_on and certificate.revoked_on <= day):
        raise ValidationError(_("Chỉ nhắc hạn giấy chứng nhận hiện hành chưa bị thu hồi."))
    if certificate.expires_on < day:
        raise ValidationError(_("Giấy chứng nhận đã hết hiệu lực: không còn gì để nhắc."))
    recipients = list(certificate_recipients(certificate))
    if not recipients:
        raise ValidationError(
            _("Chưa có ai để nhắc: chủ thể chưa có tài khoản và xã/phường chưa có cán bộ phụ trách.")
        )
    stage = stage_on(certificate, day)
    title, body = reminder_text(certificate, stage, day)
    notice_send(recipients, title=title, body=body, url=reverse("certificates:detail", args=[certificate.pk]))
    return log_reminder(certificate, recipients, source=ReminderLog.Source.MANUAL, stage=stage, actor=actor)


def _notify_revocation(certificate: Certificate) -> None:
    from certificates.selectors import certificate_recipients
    from notices.services import notice_send

    title = _("Giấy chứng nhận OCOP của sản phẩm %(p)s đã bị thu hồi") % {"p": certificate.product.name}
    body = _(
        "Giấy chứng nhận số %(n)s (%(s)d sao) của sản phẩm %(p)s bị thu hồi từ ngày %(d)s "
        "theo quyết định số %(q)s. Căn cứ: %(r)s."
    ) % {
        "n": certificate.display_number,
        "s": certificate.stars,
        "p": certificate.product.name,
        "d": _d(certificate.revoked_on),
        "q": certificate.revocation_decision.number,
        "r": certificate.get_revocation_reason_display(),
    }
    url = reverse("certificates:detail", args=[certificate.pk])
    notice_send(certificate_recipients(certificate), title=title, body=body, url=url)


@changes_public_content
@transaction.atomic
def certificate_revoke(
    certificate,
    *,
    reason: str,
    revoked_on: dt.date,
    decision_number: str,
    note: str = "",
    public_reason: str = "",
    actor,
) -> Certificate:
    """Revoke a certificate after a recorded finding (Điều 8). The provincial chairman revokes
    3–4★ certificates, the Minister 5★: the revocation decision's issuer records which.
    `note` is internal (office pages only); `public_reason` is shown on the public verification
    page after the ground."""
    require_perm(actor, "certificates.revoke_certificate", certificate)
    # of=self: a product may have no producer (an outer join PostgreSQL cannot lock).
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("product__producer")
        .get(pk=certificate.pk)
    )
    decision_number = (decision_number or "").strip()
    if certificate.revoked_on:
        raise ValidationError(
            _(
                "Giấy chứng nhận này đã bị thu hồi ngày %(d)s (quyết định số %(n)s); "
                "không thể thu hồi lần nữa."
            )
            % {
                "d": _d(certificate.revoked_on),
                "n": certificate.revocation_decision.number if certificate.revocation_decision_id else "—",
            }
        )
    pending = list(certificate.violations.select_for_update().filter(revocation_decision__isnull=True))
    errors: dict[str, list[str]] = {}
    if not pending:
        errors.setdefault("__all__", []).append(
            _(
                "Chưa ghi nhận phát hiện vi phạm nào cho giấy chứng nhận này: "
                "ghi nhận vi phạm trước khi thu hồi."
            )
        )
    if reason not in RevocationReason.values:
        errors.setdefault("reason", []).append(_("Chọn căn cứ thu hồi theo Điều 8."))
    if not decision_number:
        errors.setdefault("decision_number", []).append(_("Nhập số quyết định thu hồi."))
    if not isinstance(revoked_on, dt.date):
        errors.setdefault("revoked_on", []).append(_("Nhập ngày thu hồi."))
    else:
        if revoked_on < certificate.issued_on:
            errors.setdefault("revoked_on", []).append(
                _("Ngày thu hồi (%(r)s) không được trước ngày cấp giấy chứng nhận (%(i)s).")
                % {"r": _d(revoked_on), "i": _d(certificate.issued_on)}
            )
        first_found = min((v.found_on for v in pending), default=None)
        if first_found and revoked_on < first_found:
            errors.setdefault("revoked_on", []).append(
                _("Ngày thu hồi (%(r)s) không được trước ngày phát hiện vi phạm (%(f)s).")
                % {"r": _d(revoked_on), "f": _d(first_found)}
            )
        if revoked_on > timezone.localdate():
            errors.setdefault("revoked_on", []).append(_("Ngày thu hồi không được sau hôm nay."))
    if len(" ".join((public_reason or "").split())) > 500:
        errors.setdefault("public_reason", []).append(_("Lý do thu hồi công bố dài quá 500 ký tự."))
    if errors:
        raise ValidationError(errors)

    issuer = Certificate.Issuer.MINISTRY if certificate.stars == 5 else Certificate.Issuer.PROVINCE
    decision = Decision.objects.filter(issuer=issuer, number=decision_number, signed_on=revoked_on).first()
    if decision is None:
        decision = Decision(
            number=decision_number,
            signed_on=revoked_on,
            issuer=issuer,
            kind=Decision.Kind.REVOCATION,
            note=(note or "").strip(),
        )
        full_clean(decision)
        attribute(decision, actor, AuditReason.REVOCATION_DECISION_RECORDED)
        decision.save()
    elif decision.kind != Decision.Kind.REVOCATION:
        raise ValidationError(
            {"decision_number": [_("Số quyết định này là một quyết định công nhận, không phải thu hồi.")]}
        )

    certificate.revoked_on = revoked_on
    certificate.revocation_reason = reason
    certificate.revoked_reason = (note or "").strip() or RevocationReason(reason).label
    certificate.public_reason = " ".join((public_reason or "").split())
    certificate.revocation_decision = decision
    attribute(certificate, actor, AuditReason.CERTIFICATE_REVOKED)
    certificate.save(
        update_fields=[
            "revoked_on",
            "revocation_reason",
            "revoked_reason",
            "public_reason",
            "revocation_decision",
        ]
    )
    for violation in pending:
        violation.revocation_decision = decision
        attribute(violation, actor, AuditReason.VIOLATION_REVOCATION_DECIDED)
        violation.save(update_fields=["revocation_decision"])
    product_figures_refresh([certificate.product_id])
    _notify_revocation(certificate)
    return certificate
