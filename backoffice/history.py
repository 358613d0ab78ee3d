"""Change history for detail pages, read from django-simple-history."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("Tạo mới"), "~": _("Cập nhật"), "-": _("Xóa")}
HIDDEN_FIELDS = {"search_text", "updated_at", "slug"}


def change_log(instance, limit: int = 50) -> list[dict]:
    """Newest first: who, when, what action, and each changed field's old and new value."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for newer, older in zip(records, records[1:] + [None], strict=True):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                field = instance._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        entries.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "action": ACTIONS.get(newer.history_type, ""),
                "reason": newer.history_change_reason or "",
                "changes": changes,
            }
        )
    return entries
