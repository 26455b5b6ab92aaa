"""A case's status and deadline as list rows show them.

Tags rather than includes: lists draw these once per row, and an include with a chain of
{% if %} and {% blocktrans %} cost more than the rest of the row."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from applications.models import Status

register = template.Library()

BADGE_CLASSES = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-info",
    Status.IN_REVIEW: "text-bg-primary",
    Status.INFO_REQUESTED: "text-bg-warning",
    Status.APPROVED: "text-bg-success",
    Status.PARTIALLY_APPROVED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
}

# A handful of statuses in two languages: each badge is built once per process.
_badges: dict[tuple[str, str | None], SafeString] = {}


@register.simple_tag
def status_badge(application) -> SafeString:
    """The status as a badge: the text always says the status; the colour only repeats it.

    Usage: {% load case_status %}{% status_badge application %}"""
    key = (application.status, get_language())
    if key not in _badges:
        css = BADGE_CLASSES.get(application.status, "text-bg-light border")
        _badges[key] = format_html('<span class="badge status-badge {}">{}</span>', css, application.get_status_display())
    return _badges[key]


@register.simple_tag
def deadline_note(application) -> SafeString | str:
    """Under the deadline in a list row: overdue, due today or days left, while the deadline runs.
    Expects the marks of applications.deadlines.mark_deadline.

    Usage: {% load case_status %}{% deadline_note application %}"""
    if application.is_overdue:
        days = application.days_overdue
        text = ngettext("Overdue by %(days)s day", "Overdue by %(days)s days", days) % {"days": days}
        return format_html('<br><strong class="text-danger">{}</strong>', text)
    if application.days_left == 0:
        return format_html('<br><strong class="text-warning-emphasis">{}</strong>', gettext("Due today"))
    if application.days_left is not None:
        days = application.days_left
        return format_html("<br><small>{}</small>", ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days})
    return ""
