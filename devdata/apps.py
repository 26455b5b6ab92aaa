from django.apps import AppConfig


class DevdataConfig(AppConfig):
    # An app only for its management commands (seed_demo, seed_scale); it has no models. The
    # commands refuse to run with DEBUG off.
    name = "devdata"
    verbose_name = "Development data"
