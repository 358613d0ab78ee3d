"""The error pages (400, 403, 404, 500 and the 503 maintenance page), in the visitor's language
with the portal's navigation, and the answer to a database outage.

They are rendered without the request (no context processors): nothing on them reads the
session, the user or the database, so they still work when the failure is the database itself.
Under /api/ the same errors are JSON, like the API's own ({"detail": ...}).

A database outage (OperationalError, InterfaceError) answers the maintenance page with 503
instead of the 500 page, wherever it happens: in a view (DatabaseUnavailableMiddleware's
process_exception) or in a middleware below it, e.g. loading the session (server_error sees the
exception being handled). Cached public pages are served without the database
(catalogue.pagecache), so they stay up during the outage.
"""

import logging
import sys
import time

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
LOG_EVERY_SECONDS = 60.0
PROBE_MEMORY_SECONDS = 5.0
_last_logged = [0.0]
_down_until = [0.0]


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Yêu cầu không hợp lệ"),
            _("Máy chủ không hiểu yêu cầu này. Hãy kiểm tra lại địa chỉ hoặc thử lại."),
        ),
        403: (
            _("Không có quyền truy cập"),
            _(
                "Tài khoản của bạn không được xem trang này. "
                "Hãy đăng nhập bằng tài khoản khác hoặc liên hệ văn phòng OCOP."
            ),
        ),
        404: (
            _("Không tìm thấy trang"),
            _(
                "Trang bạn tìm không có hoặc đã được chuyển đi. "
                "Hãy kiểm tra lại địa chỉ, hoặc tìm sản phẩm từ danh mục."
            ),
        ),
        500: (
            _("Hệ thống gặp lỗi"),
            _("Đã có lỗi khi xử lý yêu cầu; lỗi đã được ghi lại. Hãy thử lại sau ít phút."),
        ),
        503: (
            _("Hệ thống đang bảo trì"),
            _(
                "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. "
                "Các trang sản phẩm đã xem gần đây vẫn mở được; hãy thử lại sau ít phút."
            ),
        ),
    }


def error_response(request, status: int, *, detail: str = "") -> HttpResponse:
    title, message = _messages()[status]
    if request is not None and request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": detail or title}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    html = render_to_string(
        f"errors/{status}.html", {"title": title, "message": message, "detail": detail, "status": status}
    )
    response = HttpResponse(html, status=status)
    if status in (500, 503):
        response["Cache-Control"] = "no-store"
    return response


def _from_database(error: BaseException | None) -> bool:
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def database_unreachable() -> bool:
    """A new connection to the database fails. Remembered for PROBE_MEMORY_SECONDS while it
    does, so that an outage costs one connection attempt a few seconds, not two per request."""
    now = time.monotonic()
    if now < _down_until[0]:
        return True
    probe = connections.create_connection(DEFAULT_DB_ALIAS)  # not the request's, which may be mid-error
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_ERRORS:
        _down_until[0] = now + PROBE_MEMORY_SECONDS
        return True
    finally:
        probe.close()
    return False


def is_database_outage(error: BaseException | None) -> bool:
    """The error (or one it was raised from) is the database's, and the database cannot be
    reached: SQLite also says OperationalError for a missing table or a lock held too long,
    and those stay errors (500, logged with their traceback), not maintenance."""
    return _from_database(error) and database_unreachable()


def maintenance_response(request, error: BaseException) -> HttpResponse:
    now = time.monotonic()
    if now - _last_logged[0] >= LOG_EVERY_SECONDS:  # one line a minute, not one per request
        _last_logged[0] = now
        logger.error(
            "Database unavailable (%s: %s): answering the maintenance page", type(error).__name__, error
        )
    response = error_response(request, 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# Django's error handlers (config/urls.py).


def bad_request(request, exception):
    return error_response(request, 400)


def permission_denied(request, exception):
    # The project's PermissionDenied messages are written for the user (translated); Django's own carry none.
    return error_response(request, 403, detail=str(exception) if exception else "")


def page_not_found(request, exception):
    return error_response(request, 404)


def server_error(request):
    error = sys.exc_info()[1]
    if is_database_outage(error):
        return maintenance_response(request, error)
    return error_response(request, 500)


def csrf_failure(request, reason=""):
    """A refused form (expired page, cookies off): the 403 page with what to do."""
    return error_response(
        request,
        403,
        detail=_(
            "Phiên làm việc của biểu mẫu đã hết hạn hoặc trình duyệt chặn cookie. "
            "Hãy tải lại trang rồi gửi lại."
        ),
    )
