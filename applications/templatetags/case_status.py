"""A case's status and deadline as list rows show them.

Tags rather than includes: lists draw these once per row, and an include with a chain of
{% if %} and {% blocktrans %} cost more than the rest of the row."""

from django import template
from django.utils.formats import date_format
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


def _decision_countdown(application) -> SafeString | str:
    """The officer's clock in working days (the marks of applications.deadlines.mark_deadline)."""
    if application.decision_paused:
        days = application.paused_days_left
        if days < 0:
            text = ngettext(
                "Paused while the employer is asked; overdue by %(days)s working day",
                "Paused while the employer is asked; overdue by %(days)s working days", -days,
            ) % {"days": -days}
        elif days == 0:
            text = gettext("Paused while the employer is asked; due the day of the answer")
        else:
            text = ngettext(
                "Paused while the employer is asked; %(days)s working day left",
                "Paused while the employer is asked; %(days)s working days left", days,
            ) % {"days": days}
        return format_html('<span class="deadline-paused">{}</span>', text)
    if application.is_overdue:
        days = application.days_overdue
        # The day after a Friday deadline is overdue, though no working day is lost yet.
        text = ngettext("Overdue by %(days)s working day", "Overdue by %(days)s working days", days) % {"days": days} if days else gettext("Overdue")
        return format_html('<strong class="text-danger">{}</strong>', text)
    if application.days_left == 0:
        return format_html('<strong class="text-warning-emphasis">{}</strong>', gettext("Due today"))
    if application.days_left is not None:
        days = application.days_left
        return format_html(
            "<span>{}</span>", ngettext("%(days)s working day left", "%(days)s working days left", days) % {"days": days}
        )
    return ""


def _reply_countdown(application) -> SafeString | str:
    """The employer's clock while a request for information is open."""
    if application.reply_days_left is None:
        return ""
    date = date_format(application.reply_due, "SHORT_DATE_FORMAT")
    if application.reply_overdue:
        return format_html('<strong class="text-danger">{}</strong>', gettext("Reply was due by %(date)s") % {"date": date})
    if application.reply_days_left == 0:
        return format_html('<strong class="text-warning-emphasis">{}</strong>', gettext("Reply due today (%(date)s)") % {"date": date})
    days = application.reply_days_left
    return format_html(
        "<span>{}</span>",
        ngettext("Reply due by %(date)s: %(days)s working day left", "Reply due by %(date)s: %(days)s working days left", days)
        % {"date": date, "days": days},
    )


@register.simple_tag
def decision_countdown(application) -> SafeString | str:
    """The officer's deadline countdown, or that it is paused. Usage: {% decision_countdown application %}"""
    return _decision_countdown(application)


@register.simple_tag
def reply_countdown(application) -> SafeString | str:
    """The employer's reply countdown. Usage: {% reply_countdown application %}"""
    return _reply_countdown(application)


@register.simple_tag
def deadline_note(application) -> SafeString | str:
    """Under the deadline in a list row: paused, overdue, due today or working days left, while the
    deadline runs; then the employer's reply date while a request is open.
    Expects the marks of applications.deadlines.mark_deadline.

    Usage: {% load case_status %}{% deadline_note application %}"""
    decision, reply = _decision_countdown(application), _reply_countdown(application)
    parts = [format_html("<br><small>{}</small>", part) for part in (decision, reply) if part]
    return format_html("{}", SafeString("".join(parts))) if parts else ""
