"""Logging filters for the refusal log (middleware.RefusalLogMiddleware)."""

from __future__ import annotations

import logging

# The statuses RefusalLogMiddleware writes to the security log for a signed-in user.
REFUSALS = {403, 404}


class RefusalLoggedOnce(logging.Filter):
    """On the `django.request` logger: a page refused to a signed-in user is already one line of
    the security log (who, what, why), so Django's own line, with the traceback of the
    PermissionDenied that is how a view refuses, would only double it. An anonymous visitor's
    refusal keeps Django's line, without the traceback: a refusal is not a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) not in REFUSALS:
            return True
        user = getattr(getattr(record, "request", None), "user", None)
        if user is not None and user.is_authenticated:
            return False
        record.exc_info, record.exc_text = None, None
        return True
