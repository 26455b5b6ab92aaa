"""The filters of the employer's list of cases ("My applications"), kept in the URL."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from applications.filters.review import StableOrderingFilter
from applications.forms.employer import CaseListFilterForm
from applications.models import Application, CaseWorker, Status


def _worker_matches(term: str) -> Q:
    passport = "".join(term.split()).upper()
    return (
        Q(worker__surname_latin__icontains=term)
        | Q(worker__given_names_latin__icontains=term)
        | Q(worker__surname_cyrillic__icontains=term)
        | Q(worker__given_names_cyrillic__icontains=term)
        | Q(worker__passport_number__icontains=passport)
    )


class EmployerCaseFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple,
        # A column of the case itself: no join repeats rows, so no DISTINCT is needed.
        distinct=False,
    )
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        help_text=_("A reference number, a project, or a worker's name or passport number."),
    )
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("created_at", "created"),
            ("planned_arrival_date", "arrival"),
            ("reference", "reference"),
            ("status_rank", "status"),
        ),
        # Given whole: django-filter's own "(descending)" labels are formatted once, at import,
        # in whichever language is active then.
        choices=[
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
            ("arrival", _("Arrival, soonest first")),
            ("-arrival", _("Arrival, latest first")),
            ("reference", _("Reference number, ascending")),
            ("-reference", _("Reference number, descending")),
            ("status", _("Status, in the order of the procedure")),
            ("-status", _("Status, in reverse order")),
        ],
        empty_label=_("Newest first (default)"),
    )

    class Meta:
        model = Application
        fields: list[str] = []
        form = CaseListFilterForm

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The whole text may be (part of) a reference or a project; otherwise every word must
        match one worker on the case. The worker is looked for with EXISTS, not a join, so a case
        with several matching workers is listed once."""
        terms = value.split()
        if not terms:
            return queryset
        value = " ".join(terms)
        matching_worker = CaseWorker.objects.filter(application=OuterRef("pk"))
        for term in terms:
            matching_worker = matching_worker.filter(_worker_matches(term))
        return queryset.filter(
            Q(reference__icontains=value) | Q(project_name__icontains=value) | Q(Exists(matching_worker))
        )
