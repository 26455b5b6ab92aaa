"""Reads that matter: every object a URL names is fetched through a selector scoped to the user,
so a wrong id is a 404, never another tenant's data. One module per side; re-exported here."""

from applications.selectors.cases import (
    application_history,
    application_lines,
    case_facts,
    case_page_rule_check,
    case_rule_check,
    decision_of_case,
)
from applications.selectors.employer import (
    application_get_for_employer,
    application_list_for_employer,
    employer_for_user,
    worker_list_for_employer,
)
from applications.selectors.review import application_list_for_officer

__all__ = [
    "application_get_for_employer",
    "application_history",
    "application_lines",
    "application_list_for_employer",
    "application_list_for_officer",
    "case_facts",
    "case_page_rule_check",
    "case_rule_check",
    "decision_of_case",
    "employer_for_user",
    "worker_list_for_employer",
]
