"""Health checks for a load balancer: /healthz (the process answers) and /readyz (it can serve:
database reachable, migrations applied, Redis reachable when configured).

Answered by a middleware placed first, so they work whatever Host header the balancer sends
and without sessions or database access for /healthz. They say nothing about why they fail:
details go to the log.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse

logger = logging.getLogger(__name__)


def _ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            logger.error("readyz: migrations are not all applied")
            return False
        if settings.REDIS_URL:
            cache.set("readyz", "1", timeout=5)
            if cache.get("readyz") != "1":
                logger.error("readyz: Redis did not keep a value")
                return False
    except Exception:
        logger.exception("readyz: a dependency is unreachable")
        return False
    return True


def _plain(text: str, status: int) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain", status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return _plain("ok", 200)
        if request.path == "/readyz":
            return _plain("ready", 200) if _ready() else _plain("not ready", 503)
        return self.get_response(request)
