from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin

from core.errors import is_database_outage, maintenance_response
from core.uploads import TOO_LARGE_MESSAGE, format_mb, max_body_bytes


class VietnameseFirstLocaleMiddleware(MiddlewareMixin):
    """Vietnamese unless the user chose English with the switch (language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so most
    phones and office PCs set to English would never see the Vietnamese interface."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def content_security_policy() -> str:
    """Everything from our own origin; map tiles from the configured tile server only."""
    tiles = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a"))
    tile_origin = f"{tiles.scheme}://{tiles.netloc}".replace("://a.", "://*.") if tiles.netloc else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # Leaflet and a few templates set inline style attributes; scripts stay strict.
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {tile_origin}".strip(),
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
        return response


class UploadLimitMiddleware:
    """Refuses a request body larger than the largest allowed upload (core.uploads) with 413,
    from its declared Content-Length, before anything reads it: Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE does not count files, so a 300 MB upload was received in full.

    A body sent without Content-Length (chunked) is refused with 411: Django's WSGI request reads
    exactly Content-Length bytes, so such a body would silently arrive empty. The upload handler
    core.uploads.LimitedUploadHandler stops a parse that grows past the limit anyway; its error
    is answered here with the same 413 page."""

    BODY_METHODS = {"POST", "PUT", "PATCH"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = max_body_bytes()
        meta = request.META
        try:
            declared = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return self.refuse(request, 413, limit)
        chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not meta.get("CONTENT_LENGTH") and request.method in self.BODY_METHODS:
            return self.refuse(request, 411, limit)
        response = self.get_response(request)
        if getattr(request, "upload_too_large", False):
            return self.refuse(request, 413, limit)
        return response

    def refuse(self, request, status: int, limit: int):
        if status == 411:
            message = translation.gettext(
                "Yêu cầu gửi dữ liệu phải nêu độ dài (Content-Length); hãy gửi lại từ biểu mẫu của trang."
            )
        else:
            message = str(TOO_LARGE_MESSAGE % {"mb": format_mb(limit)})
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=status)
        else:
            html = render_to_string("core/upload_refused.html", {"message": message, "status": status})
            response = HttpResponse(html, status=status)
        # The unread body is still on the connection: do not reuse it for another request.
        response["Connection"] = "close"
        return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers the Vietnamese maintenance page (503)
    instead of a 500; the rest of the site keeps working, and cached public pages never reach
    a view (see core.errors, which also covers a failure in a middleware below this one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return maintenance_response(request, exception)
        return None
