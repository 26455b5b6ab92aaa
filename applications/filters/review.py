"""The officer's queue filters: every filter is a column of the queue's query, kept in the URL."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from applications.forms.review import QueueFilterForm
from applications.models import Application, ApplicationKind, Status

# Drafts never reach an officer, so they are no choice here.
QUEUE_STATUS_CHOICES = [(value, label) for value, label in Status.choices if value != Status.DRAFT]


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting by a column that repeats (two cases submitted the same second, no deadline yet)
    would let a case jump between pages; the primary key breaks the ties."""

    def filter(self, qs: QuerySet, value):
        if not value:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value), "pk")


class ApplicationQueueFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=QUEUE_STATUS_CHOICES, widget=forms.CheckboxSelectMultiple,
        # A column of the case itself: no join to repeat rows, so no costly DISTINCT over the page.
        distinct=False,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ApplicationKind.choices, empty_label=_("Any kind"))
    reference = django_filters.CharFilter(label=_("Reference number"), lookup_expr="icontains")
    employer = django_filters.CharFilter(
        label=_("Employer (name or INN)"), method="filter_employer",
    )
    arrival_from = django_filters.DateFilter(
        label=_("Arrival from"), field_name="planned_arrival_date", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    arrival_to = django_filters.DateFilter(
        label=_("Arrival to"), field_name="planned_arrival_date", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("submitted_at", "submitted"), ("deadline", "deadline"), ("reference", "reference")),
        # Given whole: django-filter's own "(descending)" labels are formatted once, at import,
        # in whichever language is active then.
        choices=[
            ("deadline", _("Deadline, soonest first")),
            ("-deadline", _("Deadline, latest first")),
            ("submitted", _("Submitted, oldest first")),
            ("-submitted", _("Submitted, newest first")),
            ("reference", _("Reference number, ascending")),
            ("-reference", _("Reference number, descending")),
        ],
        empty_label=_("Deadline (default)"),
    )

    class Meta:
        model = Application
        fields: list[str] = []
        form = QueueFilterForm

    def filter_employer(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A name matches in part; digits are also tried as the INN, which matches only whole."""
        value = value.strip()
        if not value:
            return queryset
        condition = Q(employer__name__icontains=value)
        if value.isdigit():
            condition |= Q(employer__inn=value)
        return queryset.filter(condition)
