from .api_key import ApiKey, ApiKeyKind
from .application import Application, ApplicationKind, CaseWorker, RefusalReason, Status, WorkerOutcome
from .charter import (
    Charter,
    CharterEvent,
    CharterEventAction,
    CharterMember,
    CharterMemberState,
    TransportKind,
    next_charter_reference,
)
from .citizenships import CaseCitizenships
from .correction import CaseCorrection, CorrectionKind
from .decision import Decision, DecisionLetter, DecisionWorker
from .document import Document, DocumentKind, document_max_bytes
from .document_build import DocumentBuild, DocumentBuildKind, DocumentBuildState
from .earlier_permit import EarlierPermitKind, WorkerEarlierPermit
from .employer import (
    Employer,
    EmployerEvent,
    EmployerEventAction,
    EmployerFigures,
    EmployerInvitation,
    EmployerKind,
    EmployerMember,
    InvitationState,
    VerificationState,
)
from .export import ExportState, QueueExport
from .history import StatusChange
from .override import DecisionOverride
from .reminder import ReplyReminder
from .retention import DecisionRedaction, RetentionRun
from .worker import Sex, Worker
from .worker_import import WorkerImport, WorkerImportState

__all__ = [
    "ApiKey",
    "ApiKeyKind",
    "Application",
    "ApplicationKind",
    "CaseWorker",
    "CaseCitizenships",
    "Charter",
    "CharterEvent",
    "CharterEventAction",
    "CharterMember",
    "CharterMemberState",
    "CaseCorrection",
    "CorrectionKind",
    "Decision",
    "DecisionLetter",
    "DecisionOverride",
    "DecisionRedaction",
    "DecisionWorker",
    "Document",
    "DocumentKind",
    "DocumentBuild",
    "DocumentBuildKind",
    "DocumentBuildState",
    "document_max_bytes",
    "EarlierPermitKind",
    "Employer",
    "EmployerEvent",
    "EmployerEventAction",
    "EmployerFigures",
    "EmployerInvitation",
    "EmployerKind",
    "EmployerMember",
    "ExportState",
    "InvitationState",
    "RefusalReason",
    "QueueExport",
    "ReplyReminder",
    "RetentionRun",
    "Sex",
    "Status",
    "TransportKind",
    "next_charter_reference",
    "StatusChange",
    "Worker",
    "VerificationState",
    "WorkerOutcome",
    "WorkerEarlierPermit",
    "WorkerImport",
    "WorkerImportState",
]
