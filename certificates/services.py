"""Issuing certificates. The evaluation workflow (issue: evaluation and certification)
calls certificate_issue when a decision is made; demo and synthetic data use it too."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from certificates.models import VALIDITY_MONTHS, Certificate, add_months
from core.services import attribute, full_clean, require_perm


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
    is_sample: bool = False,
    note: str = "",
    check_perm: bool = True,
) -> Certificate:
    if check_perm:
        require_perm(actor, "certificates.add_certificate")
    certificate = Certificate(
        product=product,
        stars=stars,
        issued_on=issued_on,
        expires_on=add_months(issued_on, VALIDITY_MONTHS),
        score=score,
        number=number,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer=issuer,
        criteria_set=criteria_set,
        is_sample=is_sample,
        note=note,
    )
    # A new certificate (re-evaluation or upgrade) supersedes the product's previous one;
    # a validation error below rolls this back with the rest of the transaction.
    for previous in Certificate.objects.select_for_update().filter(product=product, is_current=True):
        previous.is_current = False
        attribute(previous, actor, "Được thay bằng giấy chứng nhận mới")
        previous.save(update_fields=["is_current"])
    full_clean(certificate, exclude=["public_code"])
    attribute(certificate, actor, "Cấp giấy chứng nhận")
    certificate.save()
    return certificate
