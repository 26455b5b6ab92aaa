from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Employers and applications")

    def ready(self):
        # Imported here, as Django requires: these modules read the models, which are not ready
        # before this method runs.
        from prometheus_client import REGISTRY

        from applications import hooks
        from applications.metrics import PortalCollector

        hooks.connect()

        # Once per process: /metrics (portal/metrics.py) reads the cases and tasks at each scrape.
        if not any(isinstance(collector, PortalCollector) for collector in list(REGISTRY._collector_to_names)):
            REGISTRY.register(PortalCollector())
