"""The worker registry of a company."""

from django.db import transaction
from django.utils.translation import gettext

from applications.models import Employer, Worker
from applications.permissions import employer_id_of
from applications.services.errors import TransitionRefused


def worker_create(*, employer: Employer, user, **fields) -> Worker:
    """Adds a worker to the company's registry; a duplicate passport raises IntegrityError."""
    worker = Worker(employer=employer, **fields)
    if employer.pk != employer_id_of(user):
        raise TransitionRefused(gettext("You may not do this on this application."))
    with transaction.atomic():
        worker.save()
    return worker
