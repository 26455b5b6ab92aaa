"""How a check reads on a page, whether it is a live `Check` or one stored as a dict."""

from django import template

from regions.check_groups import CheckGroups, group_checks
from regions.rules import Check

register = template.Library()


@register.filter
def check_text(check) -> str:
    if isinstance(check, dict):
        check = Check.from_dict(check)
    return check.text


@register.simple_tag
def rule_check_groups(checks) -> CheckGroups:
    """`{% rule_check_groups checks as groups %}`: failures, warnings and the passes worth folding."""
    return group_checks(checks or [])
