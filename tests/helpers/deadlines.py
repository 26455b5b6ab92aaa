"""Submitting a case as the deadline tests do: through the service, which sets the deadline."""

from applications import services


def submit(application, user):
    return services.application_submit(application=application, user=user)
