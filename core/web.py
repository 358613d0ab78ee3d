"""Shared web helpers of the staff pages of every app: access, permission checks, form errors,
pagination, htmx list responses and the change history shown on detail pages.

Domain apps' views import these from here; `backoffice` is only the registry's pages."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from core.audit import reason_label

PAGE_SIZE = 25

ACTIONS = {"+": _("Tạo mới"), "~": _("Cập nhật"), "-": _("Xóa")}
HIDDEN_FIELDS = {"search_text", "updated_at", "slug", "version"}


def staff_required(view):
    """Anonymous users go to the login page; signed-in users without a role get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("accounts.use_staff_pages"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def check(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def apply_errors(form, exc: ValidationError) -> None:
    """Attach a service's errors to the form fields they name (others go on top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


FORM_TEMPLATE = "backoffice/form.html"


def form_page(
    request,
    form,
    save: Callable,
    *,
    done: Callable,
    title: str,
    cancel: str,
    template: str = FORM_TEMPLATE,
    context: dict | None = None,
    on_error: Callable | None = None,
):
    """The create/edit page of a staff form: on a valid POST, save(cleaned_data) (a service
    call); its ValidationError goes onto the fields it names (on_error(exc) may add to that),
    else done(saved object) gives (message, address) for the success message and the redirect.
    Otherwise the form page with the title and the cancel link."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            if on_error:
                on_error(exc)
        else:
            message, address = done(saved)
            messages.success(request, message)
            return redirect(address)
    return render(request, template, {"form": form, "title": title, "cancel": cancel, **(context or {})})


def paginate(request, qs, per_page: int = PAGE_SIZE, *, count: int | None = None):
    """The requested page (a bad or out-of-range number gives the first or last page) and the
    query string without `page`, for the pager's links. `count`: the list's length when it is
    known already (a kept count), so that it is not counted again."""
    paginator = Paginator(qs, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: the given length instead of a COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def paginate_ids(request, qs, per_page: int = PAGE_SIZE, *, ids=None, count: int | None = None, rows=None):
    """paginate() for long lists: the page's ids are read first, in the list's order and
    without its joins, annotations or prefetches (an index walk, whatever the page), then only
    those rows are loaded through qs. `ids` is the ordered, filtered id query when qs's own
    annotations would weigh on it (an aggregate's GROUP BY); qs.values_list("pk") by default.
    `rows`: an unfiltered queryset (its joins, annotations) to load the page's rows from when
    qs's filters are costly to apply again (an officer's scope): the ids passed them already.
    The page's object_list holds the objects in the list's order."""
    ids = qs.values_list("pk", flat=True) if ids is None else ids
    page, query = paginate(request, ids, per_page, count=count)
    keys = list(page.object_list)
    rows = {obj.pk: obj for obj in (qs if rows is None else rows).filter(pk__in=keys).order_by()}
    page.object_list = [rows[key] for key in keys if key in rows]
    return page, query


def list_response(request, template, context):
    # htmx swaps only the results; a plain request (no JavaScript) gets the whole page.
    if request.htmx and not request.htmx.boosted:
        return render(request, f"{template}_results.html", context)
    return render(request, f"{template}.html", context)


def history_pairs(records: list) -> list[tuple]:
    """(newer, older) for each history record, newest first; the oldest pairs with None.
    A record created without history (bulk import, synthetic data) has no records at all."""
    return list(zip(records, [*records[1:], None], strict=True)) if records else []


def history_entry(record, changes: list[dict], reason: str = "") -> dict:
    return {
        "date": record.history_date,
        "user": record.history_user,
        "action": ACTIONS.get(record.history_type, ""),
        # Stored in Vietnamese (core.audit); shown in the visitor's language.
        "reason": reason or reason_label(record.history_change_reason),
        "changes": changes,
    }


def change_log(instance, limit: int = 50) -> list[dict]:
    """Newest first: who, when, what action, and each changed field's old and new value."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for newer, older in history_pairs(records)[:limit]:
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=HIDDEN_FIELDS & _field_names(instance))
            for change in delta.changes:
                field = instance._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        entries.append(history_entry(newer, changes))
    return entries


def _field_names(instance) -> set[str]:
    return {f.name for f in instance._meta.concrete_fields}
