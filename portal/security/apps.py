from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "portal_security"
    verbose_name = "Security"

    def ready(self) -> None:
        # Connects the receivers that log sign-ins and failed sign-ins and start a session's clocks.
        from portal.security import audit, middleware  # noqa: F401
