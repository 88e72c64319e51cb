from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

API_PREFIX = "/api/"


class RussianFirstLocaleMiddleware(LocaleMiddleware):
    """Russian unless the user chose another language with the switch.

    The browser's Accept-Language is ignored on purpose for pages: officials often
    work on machines set to English, and the product speaks Russian first. API
    clients, which set the header deliberately, get what they ask for.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        if chosen not in supported and request.path.startswith(API_PREFIX):
            # API clients say what they want in the header; honour it there.
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
