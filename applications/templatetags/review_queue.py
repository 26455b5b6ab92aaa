"""A row of the officer's queue.

A tag rather than template markup: the queue draws 25 to 100 rows a page, and Django's template
engine spent more on a row's dozen variables, filters and {% translate %} tags (about 0.12 ms a
row, more than the rest of the page) than on what they print. Built here in one format_html, the
row is the same markup, escaped the same way, at a quarter of the cost. Each value is escaped
as format_html would, by `_text`, without format_html's per-argument check for lazy strings."""

import html
from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format, localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from applications.templatetags.case_status import deadline_note, status_badge
from portal.date_formats import format_date
from regions.time_zones import in_zone

register = template.Library()

# The region, the submission and the assigned officer ride on a second line of the reference,
# the status and the deadline, so the table fits 1280 px without scrolling sideways.
_ROW = (
    '<tr><td><a href="{url}">{reference}</a><br><small class="text-body-secondary">{region}</small>{failing}</td>'
    '<td>{employer}<br><small class="text-body-secondary">{inn_label} {inn}</small></td>'
    '<td>{status}<br><small class="text-body-secondary">{submitted}</small></td>'
    '<td class="text-end">{workers}</td><td>{arrival}</td>'
    '<td>{deadline} {deadline_note}<br><small class="text-body-secondary">{officer}</small></td></tr>'
)

# A primary key no case has, to cut the case page's address around: reversed once a page.
_PK_MARK = 987654321


@dataclass(frozen=True)
class _PageConstants:
    """What every row of one page shares (the language and the script prefix do not change
    within a page): worked out for the first row, not for each."""

    url_before: str
    url_after: str
    date_format: str
    datetime_format: str
    failing: SafeString
    inn_label: str
    paused: str
    not_assigned: SafeString
    submitted_label: str
    officer_label: str

    @classmethod
    def now(cls) -> "_PageConstants":
        url_before, url_after = reverse("applications:review-detail", kwargs={"pk": _PK_MARK}).split(str(_PK_MARK))
        return cls(
            url_before=url_before,
            url_after=url_after,
            date_format=get_format("SHORT_DATE_FORMAT"),
            datetime_format=get_format("SHORT_DATETIME_FORMAT"),
            failing=format_html('<br><span class="badge text-bg-danger rule-check-marker">{}</span>', gettext("Fails the rules")),
            inn_label=gettext("INN"),
            paused=gettext("Paused"),
            not_assigned=format_html("{}", gettext("Not assigned")),
            submitted_label=gettext("Submitted %(date)s"),
            officer_label=gettext("Officer: %(name)s"),
        )


def _text(value) -> str:
    """As `conditional_escape` (what format_html applies to each argument), without its check for
    lazy strings made on every call: a page's rows escape some three hundred values."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag(takes_context=True)
def queue_row(context, application) -> SafeString:
    """One case of the queue as a table row: reference with its region (and whether it fails a
    blocking rule check), employer, status with when it was submitted, workers, arrival, deadline
    with the assigned officer.
    Expects the view's marks: `fails_rules` and those of applications.deadlines.mark_deadline.

    Usage: {% load review_queue %}{% queue_row application %}"""
    page = context.render_context.get(_PageConstants)
    if page is None:
        page = context.render_context[_PageConstants] = _PageConstants.now()
    if application.deadline:
        deadline = format_date(application.deadline, page.date_format)
    elif application.decision_paused:
        deadline = page.paused
    else:
        deadline = "—"
    submitted = application.submitted_at
    return mark_safe(
        _ROW.format(
            url=_text(f"{page.url_before}{application.pk}{page.url_after}"),
            reference=_text(application.reference),
            failing=page.failing if application.fails_rules else "",
            employer=_text(application.employer.name),
            inn_label=_text(page.inn_label),
            inn=_text(application.employer.inn),
            region=_text(application.region.name),
            status=_text(status_badge(application)),
            workers=_text(localize(application.worker_count)),
            submitted=_text(page.submitted_label % {"date": format_date(timezone.localtime(submitted), page.datetime_format)})
            if submitted
            else "",
            arrival=_text(in_zone(application.planned_arrival_at, application.arrival_zone)),
            deadline=_text(deadline),
            deadline_note=_text(deadline_note(application)),
            officer=page.not_assigned
            if application.assigned_officer is None
            else _text(page.officer_label % {"name": application.assigned_officer}),
        )
    )
