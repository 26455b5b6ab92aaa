"""A limit of requests per key and minute (API_REQUESTS_PER_MINUTE), counted in the cache like
the public pages' limits (portal/security/rate_limits.py)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from portal.security.rate_limits import over_limit

WINDOW_SECONDS = 60


class PerKeyThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        key = request.auth
        if key is None:
            return True
        return not over_limit(f"api-key:{key.pk}", limit=settings.API_REQUESTS_PER_MINUTE, seconds=WINDOW_SECONDS)

    def wait(self) -> float:
        return WINDOW_SECONDS
