"""The language a signed-in person reads the portal in follows their account, not only their browser.

Django's `set_language` view (the navbar's language switch posts to it) keeps the choice in the
`django_language` cookie, which LocaleMiddleware reads on every request. That cookie lives in one
browser; the account remembers the choice too, in `User.preferred_language`:

- choosing a language while signed in saves it to the account;
- signing in with the login form sets the cookie to the account's language when it is not the
  portal's default (Russian), so an English choice follows the person to another browser or
  computer. Russian is never forced on a browser that asks for English: an account that is
  Russian only because nobody changed it (every account an admin creates) looks the same as one
  where Russian was chosen, and the browser's own wish is the better guess then;
- the first sign-in of a new account (following the e-mail confirmation link, or accepting an
  invitation) keeps the language the person is reading and saves it to the account: the
  account's language was only a default then (an invited colleague's is the company's language
  of letters), not a choice.

All three happen in one middleware, placed after AuthenticationMiddleware, so neither Django's view
nor its URL needs wrapping. It reads neither the session nor `request.user` on other requests, so
it adds no query to them: a sign-in is recognised because `login()` gives the session a new key
(against session fixation) and stores the user's id in it. (Comparing `request.user` objects would
not do: django-otp's middleware wraps the user in a new object on every request.)
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

from .models import User

SET_LANGUAGE_VIEW = "set_language"
LOGIN_VIEW = "accounts:login"


def _supported(language: str | None) -> bool:
    return bool(language) and language in dict(settings.LANGUAGES)


def user_preferred_language_save(*, user: User, language: str) -> None:
    """Saves the language the person chose; one UPDATE, nothing when it is unchanged or unknown."""
    if not _supported(language):
        return
    User.objects.filter(pk=user.pk).exclude(preferred_language=language).update(preferred_language=language)
    user.preferred_language = language


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """The cookie exactly as Django's set_language view writes it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # The key comes from the cookie: reading it does not load the session.
        key_before = session.session_key if session is not None else None
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match is not None else None
        if session is not None and session.session_key != key_before and session.get(SESSION_KEY):
            # login() ran during this request (logout() also changes the key, but leaves no user).
            user = request.user
            if not user.is_authenticated:
                return response
            if view_name == LOGIN_VIEW:
                if _supported(user.preferred_language) and user.preferred_language != settings.LANGUAGE_CODE:
                    set_language_cookie(response, user.preferred_language)
            else:
                user_preferred_language_save(user=user, language=getattr(request, "LANGUAGE_CODE", ""))
            return response
        if request.method == "POST" and view_name == SET_LANGUAGE_VIEW:
            chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
            user = getattr(request, "user", None)
            if chosen is not None and user is not None and user.is_authenticated:
                user_preferred_language_save(user=user, language=chosen.value)
        return response
