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
