"""Writes to the producer registry. Each function validates, runs in one transaction
and records who did it (django-simple-history)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.roles import commune_ids
from core.audit import AuditReason
from core.content import changes_public_content
from core.services import (
    advance_version,
    assign,
    attribute,
    full_clean,
    replace_sales_links,
    require_perm,
    unique_slug,
)
from core.text import search_document
from core.validators import (
    normalise_phone,
    normalise_registration_code,
    validate_point_in_province,
    validate_registration_code,
)
from producers.models import Producer, ProducerSalesLink

PRODUCER_FIELDS = (
    "name",
    "kind",
    "registration_code",
    "representative",
    "phone",
    "email",
    "address",
    "address_as_given",
    "commune",
    "lat",
    "lng",
    "founding_year",
    "members_count",
    "employees_count",
    "description",
    "is_sample",
    "source_url",
)


def producer_business_errors(producer: Producer, actor) -> dict:
    """The checks producer_create and producer_update add to the model's own validation.

    The registration or tax code is optional (a tổ hợp tác has no tax code, many households only a
    commune-level registration): a producer without one is flagged "thiếu mã số" on the
    data-quality worklist, never refused. When given, it is validated (and unique: the model's
    constraint)."""
    errors: dict = {}
    if producer.registration_code:
        try:
            validate_registration_code(producer.registration_code, producer.kind)
        except ValidationError as exc:
            errors["registration_code"] = exc.messages
    try:
        validate_point_in_province(producer.lat, producer.lng)
    except ValidationError as exc:
        errors["lat"] = exc.messages
    if not producer.commune_id and not producer.is_sample:
        errors["commune"] = [_("Cần chọn xã/phường.")]
    if (
        actor is not None
        and getattr(actor, "role", None) == Role.COMMUNE_OFFICER
        and producer.commune_id not in commune_ids(actor)
    ):
        errors["commune"] = [_("Bạn chỉ được quản lý chủ thể thuộc xã/phường mình phụ trách.")]
    return errors


def producer_prepare(producer: Producer) -> None:
    """What producer_create and producer_update derive before validating (normalised
    registration code and phone, squeezed name, search text); also used by writers that save many
    producers at once (reports.importing)."""
    producer.registration_code = normalise_registration_code(producer.registration_code)
    producer.phone = normalise_phone(producer.phone)
    producer.name = " ".join((producer.name or "").split())
    producer.search_text = search_document(
        producer.name, producer.representative, producer.address, producer.registration_code
    )


@changes_public_content
@transaction.atomic
def producer_create(*, actor, **data) -> Producer:
    require_perm(actor, "producers.add_producer")
    producer = Producer()
    assign(producer, data, PRODUCER_FIELDS)
    producer_prepare(producer)
    producer.slug = unique_slug(Producer, producer.name)
    full_clean(producer, producer_business_errors(producer, actor), exclude=["slug"])
    attribute(producer, actor, AuditReason.CREATED)
    producer.save()
    return producer


@changes_public_content
@transaction.atomic
def producer_update(producer: Producer, *, actor, expected_version: int | None = None, **data) -> Producer:
    """`expected_version`: the version the editor read; a save over a newer one raises StaleVersion."""
    require_perm(actor, "producers.change_producer", producer)
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    advance_version(producer, expected_version)
    if getattr(actor, "role", None) == Role.PRODUCER:
        # A producer edits its own profile but cannot move itself to another commune.
        data.pop("commune", None)
    assign(producer, data, PRODUCER_FIELDS)
    producer_prepare(producer)
    full_clean(producer, producer_business_errors(producer, actor))
    attribute(producer, actor, AuditReason.UPDATED)
    producer.save()
    return producer


@changes_public_content
@transaction.atomic
def producer_set_sales_links(producer: Producer, links: list[dict], *, actor) -> list[ProducerSalesLink]:
    """Replace the producer's sales links with `links` (platform, url, label, address)."""
    require_perm(actor, "producers.change_producer", producer)
    return replace_sales_links(producer.sales_links, ProducerSalesLink, {"producer": producer}, links, actor)
