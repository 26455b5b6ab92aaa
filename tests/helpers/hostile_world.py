"""Tenant A of the hostile-input tests: its cases in every state the forms act on (the `world`
fixture of tests/security/conftest.py makes them), and a browser of each role."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.test import Client

from applications.models import Application, CaseWorker, EmployerInvitation, Worker
from portal.accounts.models import User


@dataclass
class World:
    employer_user: User
    officer: User
    draft: Application
    submitted: Application
    info_requested: Application
    in_review: Application
    approved: Application
    worker: Worker
    spare_worker: Worker
    invitation: EmployerInvitation
    lines: dict[str, list[CaseWorker]] = field(default_factory=dict)


def client_for(role: str, world: World) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.raise_request_exception = False
    if role == "employer":
        client.force_login(world.employer_user)
    elif role == "officer":
        client.force_login(world.officer)
    return client
