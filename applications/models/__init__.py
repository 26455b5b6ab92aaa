from .application import Application, ApplicationKind, ApplicationWorker, RefusalReason, Status, WorkerOutcome
from .decision import Decision
from .document import Document, DocumentKind
from .employer import Employer, EmployerInvitation, EmployerMember
from .history import StatusChange
from .reminder import ReplyReminder
from .worker import Sex, Worker

__all__ = [
    "Application",
    "ApplicationKind",
    "ApplicationWorker",
    "Decision",
    "Document",
    "DocumentKind",
    "Employer",
    "EmployerInvitation",
    "EmployerMember",
    "RefusalReason",
    "ReplyReminder",
    "Sex",
    "Status",
    "StatusChange",
    "Worker",
    "WorkerOutcome",
]
