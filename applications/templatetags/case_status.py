"""A case's status as a badge: the text always says the status; the colour only repeats it.

A tag rather than an include: lists draw one badge per row, and an include with a chain of
{% if %} cost more than the rest of the row."""

from django import template
from django.utils.html import format_html

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


@register.simple_tag
def status_badge(application) -> str:
    """Usage: {% load case_status %}{% status_badge application %}"""
    css = BADGE_CLASSES.get(application.status, "text-bg-light border")
    return format_html('<span class="badge status-badge {}">{}</span>', css, application.get_status_display())
