"""The one module that wires the cases to what happens around them, run once when the app is
ready (ApplicationsConfig.ready):

- each kind of background work the services name (applications/background.py) gets its task;
- a published rule version (regions/signals.py) re-checks the undecided cases it reaches.

Everything else imports in one direction; this module is imported by nothing but the app config.
"""

from functools import partial

from django.db import transaction
from django_tasks import TaskResultStatus

from applications import background, tasks
from applications.background import Work
from applications.services.rule_checks import mark_cases_under_rule_version
from regions.models import RuleSet
from regions.signals import NONE_RECHECKED, CasesRechecked, rule_set_published

TASKS = {
    Work.STATUS_EMAIL: tasks.send_status_email,
    Work.REPLY_REMINDER: tasks.send_reply_reminder,
    Work.COMPANY_VERIFICATION_EMAIL: tasks.send_company_verification_email,
    Work.CONFIRMATION: tasks.send_confirmation,
    Work.SIGN_UP_ATTEMPT_NOTICE: tasks.send_sign_up_attempt_notice,
    Work.COMPANY_KNOWN_NOTICE: tasks.send_company_known_notice,
    Work.PASSWORD_RESET: tasks.send_password_reset,
    Work.INVITATION: tasks.send_invitation,
    Work.RECHECK_PEOPLE_OF_CASE: tasks.recheck_people_of_case,
    Work.QUEUE_EXPORT: tasks.build_queue_export,
    Work.WORKER_IMPORT: tasks.run_worker_import,
    Work.CASE_WORKER_IMPORT: tasks.run_case_worker_import,
    Work.DECISION_DOCUMENT: tasks.build_decision_document,
}


def recheck_cases_under_published_version(sender, *, rule_set: RuleSet, **kwargs) -> CasesRechecked:
    """Marks for a re-check the undecided cases the version reaches and re-checks the region's
    marked cases (recheck_marked_cases_of_region). Without a worker the re-check runs now,
    inside the publishing transaction, so it sees the version just published and the admin is
    told the counts. With a worker it is enqueued once the transaction commits, so the worker
    finds the new version; marked cases stay marked until re-checked, so a worker that dies on
    the way leaves them for `manage.py recheck_rule_checks`."""
    marked = mark_cases_under_rule_version(rule_set=rule_set)
    if not marked:
        return NONE_RECHECKED
    task = tasks.recheck_marked_cases_of_region
    if not tasks.runs_inline(task):
        transaction.on_commit(partial(task.enqueue, region_id=rule_set.region_id))
        return CasesRechecked(rechecked=marked, queued=True, failing=None)
    result = task.enqueue(region_id=rule_set.region_id)
    if result.status != TaskResultStatus.SUCCESSFUL:
        return CasesRechecked(rechecked=marked, queued=False, failing=None)
    # The count is of the cases the run re-checked: with the marked ones, any of the region's
    # cases still marked from before (which it re-checks as well).
    checked, failing = result.return_value
    return CasesRechecked(rechecked=checked, queued=False, failing=failing)


def connect() -> None:
    background.register(TASKS)
    rule_set_published.connect(recheck_cases_under_published_version, sender=RuleSet, dispatch_uid="applications.recheck")
