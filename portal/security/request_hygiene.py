"""Two guards every request passes: no NUL byte reaches the database, and nothing shown to a
signed-in person is kept by a cache (issue 16, items 8 and 9)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


def _has_nul(request: HttpRequest) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


class RefuseNulBytesMiddleware:
    """PostgreSQL cannot hold a NUL character in text, so a query string carrying one (an admin
    list filter, a search box) would end as a server error deep in a query. Forms already refuse
    NUL next to their fields (Django's ProhibitNullCharactersValidator); the query string has no
    form in front of it everywhere, so it is refused here, once, before any view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("The address holds a NUL character, which no search or filter can use. Remove it and try again.")
            if request.path_info.startswith("/api/"):
                # The API's clients read JSON, never a page (docs/api.md).
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivatePagesNotCachedMiddleware:
    """Whatever a signed-in person is shown (case pages with passports, the worker registry,
    exports, letters) is theirs alone: no browser history cache or shared proxy may keep it.
    Public pages (the decision check, sign-in) keep their own headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # A view that already said no-store (letters, exports) said it its own way; leave it.
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
