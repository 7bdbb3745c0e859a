"""Middleware of the portal: language choice, no caching of signed-in pages.

Language: German unless the user chose English with the language switch (cookie).

Django's LocaleMiddleware would follow the browser's Accept-Language header; many office
browsers are set to English, and the portal's working language is German.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class SpracheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.erlaubt = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.erlaubt:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        try:
            response = self.get_response(request)
        finally:
            # Work outside requests (tasks, commands) in this thread stays in German.
            translation.deactivate()
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", code)
        return response


class PrivatCacheMiddleware:
    """Pages of signed-in users are personal: no shared or browser cache may keep them.

    Anonymous public pages stay cacheable; static files never get here (whitenoise answers
    them earlier in the chain)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
