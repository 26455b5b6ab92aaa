"""The statistics of an officer's region: charts drawn on the server, with their numbers in tables."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from applications.charts import Bar, bar_chart
from applications.forms.statistics import StatisticsRegionForm
from applications.permissions import officer_region_ids
from applications.selectors.statistics import RegionStatistics, region_statistics
from applications.views.decorators import officer_required
from portal.db_router import reads_from_replica


def _grouped(value) -> str:
    return number_format(value, force_grouping=True)


def _week_label(monday) -> str:
    # "from 5 April", "с 5 апреля": E is the month's name as it follows a day.
    return _("from %(date)s") % {"date": date_format(monday, "j E")}


def _month_label(month) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _charts(statistics: RegionStatistics) -> dict[str, str]:
    return {
        "by_status": bar_chart(
            [Bar(str(row.label), row.cases, tone=row.status) for row in statistics.by_status],
            chart_id="chart-by-status", title=_("Cases by status"),
        ),
        "weekly_decisions": bar_chart(
            [Bar(_week_label(row.monday), row.decisions) for row in statistics.weekly_decisions],
            chart_id="chart-weekly-decisions", title=_("Decisions per week"),
        ),
        "monthly_approved": bar_chart(
            [Bar(_month_label(row.month), row.approved, row.quota) for row in statistics.monthly_approved],
            chart_id="chart-monthly-approved", title=_("Workers approved by arrival month, against the quota"),
            describe=lambda bar: (
                _("%(month)s: %(approved)s approved of a quota of %(quota)s")
                % {"month": bar.label, "approved": _grouped(bar.value), "quota": _grouped(bar.limit)}
                if bar.limit is not None
                else _("%(month)s: %(approved)s approved, no quota") % {"month": bar.label, "approved": _grouped(bar.value)}
            ),
        ),
        "citizenships": bar_chart(
            [Bar(row.name, row.workers) for row in statistics.top_citizenships],
            chart_id="chart-citizenships", title=_("Workers by citizenship"),
        ),
    }


@officer_required
@require_safe
@reads_from_replica
def review_statistics(request: HttpRequest) -> HttpResponse:
    region_ids = officer_region_ids(request.user)
    form = StatisticsRegionForm(request.GET or None, region_ids=region_ids)
    region = form.chosen_region()
    statistics = region_statistics(region=region, today=timezone.localdate()) if region else None
    context = {
        "form": form,
        "show_region_choice": len(region_ids) > 1 or form.errors,
        "statistics": statistics,
        "charts": _charts(statistics) if statistics else {},
    }
    return render(request, "applications/review/statistics.html", context)
