"""Every change the portal makes goes through a service here: the web pages, Django admin and
management commands call the same functions, so each rule is enforced in one place.

One module per concern; this package re-exports them so callers write `services.application_submit`.
"""

from applications.services.cases import (
    application_answer_request,
    application_approve,
    application_approve_partially,
    application_reject,
    application_request_information,
    application_submit,
    application_take_into_review,
    application_withdraw,
)
from applications.services.companies import employer_verify
from applications.services.drafts import (
    DRAFT_FIELDS,
    application_add_worker,
    application_create_draft,
    application_remove_worker,
    application_update_draft,
)
from applications.services.errors import TransitionRefused
from applications.services.rule_checks import application_refresh_rule_check, recheck_pending_cases
from applications.services.workers import worker_create

__all__ = [
    "DRAFT_FIELDS",
    "TransitionRefused",
    "application_add_worker",
    "application_answer_request",
    "application_approve",
    "application_approve_partially",
    "application_create_draft",
    "application_refresh_rule_check",
    "application_reject",
    "application_remove_worker",
    "application_request_information",
    "application_submit",
    "application_take_into_review",
    "application_update_draft",
    "application_withdraw",
    "employer_verify",
    "recheck_pending_cases",
    "worker_create",
]
