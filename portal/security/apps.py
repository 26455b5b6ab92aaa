from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "portal_security"
    verbose_name = _("Security")

    def ready(self) -> None:
        # Connects the receivers that log sign-ins and failed sign-ins and start a session's clocks.
        from portal import db_roles
        from portal.security import audit, middleware  # noqa: F401

        # Every migrate ends by granting the app role its rights on the tables as they now are
        # (portal/db_roles.py). post_migrate is sent once per app after all migrations; one
        # sender is enough.
        post_migrate.connect(
            db_roles.grant_app_rights_after_migrate, sender=apps.get_app_config("accounts"), dispatch_uid="portal.db_roles"
        )
