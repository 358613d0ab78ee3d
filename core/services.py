"""Helpers every app's services use: audit attribution, unique slugs, error collection."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.audit import AuditReason, reason_text
from core.text import slugify_vi


def require_perm(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def attribute(instance, actor, reason: AuditReason | None = None, detail: str = "") -> None:
    """Tell django-simple-history who made the change and why (one of core.audit.AuditReason,
    with an optional detail such as a decision number)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
    if reason is not None:
        instance._change_reason = reason_text(reason, detail)


class StaleVersion(ValidationError):
    """The record changed after the form (or API client) read it: saving would overwrite that
    change unseen. `current_version` is the stored version, for a deliberate second save."""

    def __init__(self, message, current_version: int):
        super().__init__({NON_FIELD_ERRORS: [message]}, code="stale")
        self.current_version = current_version


def advance_version(instance, expected_version=None) -> None:
    """Bump the version of a record about to be saved, after checking that it is still the one
    the caller read (`expected_version`; None: no check). Call it on a row locked with
    select_for_update, so that two saves cannot both pass the check."""
    if expected_version is not None and int(expected_version) != instance.version:
        history = getattr(instance, "history", None)
        last = history.select_related("history_user").first() if history is not None else None
        who = ""
        if last is not None:
            who = _(" (lần sửa gần nhất: %(user)s, %(time)s)") % {
                "user": last.history_user or _("hệ thống"),
                "time": formats.date_format(timezone.localtime(last.history_date), "d/m/Y H:i"),
            }
        raise StaleVersion(
            _(
                "Bản ghi đã được người khác thay đổi từ khi bạn mở trang này%(who)s. Nội dung bạn nhập "
                "vẫn còn dưới đây: hãy mở bản mới trong thẻ khác để so sánh, rồi bấm Lưu lần nữa nếu "
                "vẫn muốn ghi đè."
            )
            % {"who": who},
            current_version=instance.version,
        )
    instance.version += 1


def unique_slug(model, text: str, *, exclude_pk=None, field: str = "slug", max_length: int = 110) -> str:
    base = slugify_vi(text, max_length=max_length - 6)
    taken = set(
        model.objects.filter(**{f"{field}__startswith": base})
        .exclude(pk=exclude_pk)
        .values_list(field, flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def assign(instance, data: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({k: _("Trường không được phép cập nhật.") for k in sorted(unknown)})
    for key, value in data.items():
        setattr(instance, key, value)


def full_clean(instance, extra_errors: dict | None = None, exclude=None) -> None:
    """Run Django's model validation and merge the service's own errors, so that
    every problem is reported at once with its field named."""
    errors: dict = {}
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for key, msgs in (extra_errors or {}).items():
        errors.setdefault(key, []).extend(msgs if isinstance(msgs, list) else [msgs])
    if errors:
        raise ValidationError(errors)


def replace_sales_links(manager, model, owner: dict, links: list[dict], actor) -> list:
    """Replace an owner's sales links; every bad row is reported as links-<n>-<field>."""
    new_links, errors = [], {}
    for index, data in enumerate(links, start=1):
        link = model(**owner, **data)
        try:
            link.full_clean(exclude=list(owner))
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                errors.setdefault(f"links-{index}-{field}", []).extend(msgs)
        new_links.append(link)
    if errors:
        raise ValidationError(errors)
    for old in manager.all():
        attribute(old, actor, AuditReason.SALES_LINK_DELETED)
        old.delete()
    for link in new_links:
        attribute(link, actor, AuditReason.SALES_LINK_ADDED)
        link.save()
    return new_links
