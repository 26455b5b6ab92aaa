from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Employers and applications")

    def ready(self):
        from prometheus_client import REGISTRY

        from applications.metrics import PortalCollector

        # Once per process: /metrics (portal/metrics.py) reads the cases and tasks at each scrape.
        if not any(isinstance(collector, PortalCollector) for collector in list(REGISTRY._collector_to_names)):
            REGISTRY.register(PortalCollector())
