from __future__ import annotations

from django.conf import settings
from django.utils import translation


class FrenchFirstLocaleMiddleware:
    """Pick the page language: the visitor's choice (cookie, then account), else French.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; this
    service is French first, so only a deliberate switch changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported and request.user.is_authenticated:
            language = request.user.preferred_language
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
