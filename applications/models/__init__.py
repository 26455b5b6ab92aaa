from .application import Application, ApplicationKind, ApplicationWorker, RefusalReason, Status, WorkerOutcome
from .citizenships import CaseCitizenships
from .decision import Decision
from .document import Document, DocumentKind
from .employer import Employer, EmployerInvitation, EmployerMember
from .export import ExportState, QueueExport
from .history import StatusChange
from .override import DecisionOverride
from .reminder import ReplyReminder
from .worker import Sex, Worker

__all__ = [
    "Application",
    "ApplicationKind",
    "ApplicationWorker",
    "CaseCitizenships",
    "Decision",
    "DecisionOverride",
    "Document",
    "DocumentKind",
    "Employer",
    "EmployerInvitation",
    "EmployerMember",
    "ExportState",
    "RefusalReason",
    "QueueExport",
    "ReplyReminder",
    "Sex",
    "Status",
    "StatusChange",
    "Worker",
    "WorkerOutcome",
]
