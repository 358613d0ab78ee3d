"""The signed-in user's notices. Every account sees only its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.web import paginate
from notices.selectors import notices_for
from notices.services import notice_mark_all_read, notice_mark_read


@login_required
def notice_index(request):
    qs = notices_for(request.user)
    if request.GET.get("chua-doc"):
        qs = qs.filter(read_at__isnull=True)
    page, query = paginate(request, qs)
    return render(
        request,
        "notices/index.html",
        {"page": page, "query": query, "unread_only": bool(request.GET.get("chua-doc"))},
    )


@login_required
@require_POST
def notice_read(request, pk):
    # Another user's notice is simply not found: no hint that it exists.
    notice = get_object_or_404(notices_for(request.user), pk=pk)
    notice_mark_read(notice, actor=request.user)
    target = request.POST.get("next")
    if target == "url" and notice.url.startswith("/"):
        return redirect(notice.url)
    return redirect("notices:index")


@login_required
@require_POST
def notice_read_all(request):
    n = notice_mark_all_read(actor=request.user)
    messages.success(
        request,
        ngettext("Đã đánh dấu %(n)d thông báo là đã đọc.", "Đã đánh dấu %(n)d thông báo là đã đọc.", n)
        % {"n": n},
    )
    return redirect("notices:index")
