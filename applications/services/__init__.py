"""Every change the portal makes goes through a service here: the web pages, Django admin and
management commands call the same functions, so each rule is enforced in one place.

One module per concern; this package re-exports the public ones so callers can write
`services.application_submit`.
"""

from applications.services.arrivals import arrivals_report
from applications.services.cases import (
    AnswerDocumentRefused,
    application_answer_request,
    application_approve,
    application_approve_partially,
    application_reject,
    application_request_information,
    application_submit,
    application_take_into_review,
    application_withdraw,
)
from applications.services.charters import (
    charter_answer,
    charter_attach,
    charter_create,
    charter_decide,
    charter_detach,
    charter_invite,
    charter_leave,
)
from applications.services.companies import (
    account_confirm_email,
    company_register,
    confirmation_email_resend,
    employer_figures_record,
    invitation_accept,
    invitation_revoke,
    invitation_send,
)
from applications.services.company_details import employer_details_update
from applications.services.company_verification import employer_ask_again, employer_refuse, employer_verify
from applications.services.deadlines import run_deadlines
from applications.services.documents import document_delete, document_upload
from applications.services.drafts import (
    DRAFT_FIELDS,
    application_add_worker,
    application_copy,
    application_create_draft,
    application_delete_draft,
    application_remove_worker,
    application_update_draft,
)
from applications.services.errors import TransitionRefused
from applications.services.exports import queue_export_build, queue_export_request, queue_exports_purge
from applications.services.rule_checks import application_refresh_rule_check, recheck_pending_cases
from applications.services.workers import DuplicatePassport, worker_create, worker_delete, worker_update, workers_import

__all__ = [
    "DRAFT_FIELDS",
    "AnswerDocumentRefused",
    "DuplicatePassport",
    "TransitionRefused",
    "account_confirm_email",
    "charter_answer",
    "charter_attach",
    "charter_create",
    "charter_decide",
    "charter_detach",
    "charter_invite",
    "charter_leave",
    "application_add_worker",
    "application_answer_request",
    "application_approve",
    "application_approve_partially",
    "application_copy",
    "application_create_draft",
    "application_delete_draft",
    "application_refresh_rule_check",
    "application_reject",
    "application_remove_worker",
    "application_request_information",
    "application_submit",
    "application_take_into_review",
    "application_update_draft",
    "application_withdraw",
    "arrivals_report",
    "company_register",
    "confirmation_email_resend",
    "document_delete",
    "document_upload",
    "employer_figures_record",
    "employer_ask_again",
    "employer_details_update",
    "employer_refuse",
    "employer_verify",
    "invitation_accept",
    "invitation_revoke",
    "invitation_send",
    "queue_export_build",
    "queue_export_request",
    "queue_exports_purge",
    "recheck_pending_cases",
    "run_deadlines",
    "worker_create",
    "worker_delete",
    "worker_update",
    "workers_import",
]
