"""/metrics for Prometheus: django-prometheus's request figures (latency per view, responses,
database) and the portal's own (applications/metrics.py).

Closed unless METRICS_TOKEN is set: then a scraper sends `Authorization: Bearer <token>`;
anything else gets a 404, as if there were no such page. In development (DEBUG) it is open."""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess

from applications.metrics import PortalCollector


def _registry():
    """This process's figures, or, under gunicorn with PROMETHEUS_MULTIPROC_DIR, every worker's
    (prometheus_client's multiprocess mode) and the portal's own, read once."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(PortalCollector())
    return registry


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        return settings.DEBUG
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
