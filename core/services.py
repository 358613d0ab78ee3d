"""Helpers every app's services use: audit attribution, unique slugs, error collection."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.text import slugify_vi


def require_perm(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def attribute(instance, actor, reason: str = "") -> None:
    """Tell django-simple-history who made the change and why."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
    if reason:
        instance._change_reason = reason


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
        attribute(old, actor, "Xóa kênh bán")
        old.delete()
    for link in new_links:
        attribute(link, actor, "Thêm kênh bán")
        link.save()
    return new_links
