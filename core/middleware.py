from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


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
