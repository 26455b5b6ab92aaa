"""The officer's queue filters: every filter is a condition on the queue's query, kept in the URL.

Also used by "export the filtered queue": construct it as
`ApplicationQueueFilter(request.GET, queryset=..., request=request)` and read `.qs`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.deadlines import DEADLINE_RUNNING
from applications.forms.common import LongSelect, date_input
from applications.forms.review import QueueFilterForm
from applications.models import Application, ApplicationKind, CaseWorker, Status
from applications.models.application import AWAITING_DECISION_STATUSES
from applications.models.charter import charter_reference
from applications.models.worker import PassportKey
from applications.selectors.review import application_list_for_officer
from regions.countries import country_choices

# Drafts never reach an officer, so they are no choice here.
QUEUE_STATUS_CHOICES = [(value, label) for value, label in Status.choices if value != Status.DRAFT]

# The statuses the queue opens on (AWAITING_DECISION_STATUSES), as the status filter's values.
AWAITING_DECISION = [status.value for status in AWAITING_DECISION_STATUSES]
# The two words `status` takes besides the statuses: the cases awaiting decision, and every case.
STATUS_AWAITING, STATUS_ALL = "pending", "all"


def queue_query(data: QueryDict, *, search_fields: Iterable[str]) -> QueryDict:
    """The query string as the filters read it. The queue opens on the cases awaiting decision:
    a query naming no status and no filter (the bare queue, its pages and sorts) shows those;
    `status=pending` asks for them anywhere and `status=all` for every status. A query naming one
    of `search_fields` (even empty, as the filter form sends them all) but no status keeps its
    meaning of every status, so the form with no status ticked, and bookmarks, keep theirs."""
    if not isinstance(data, QueryDict):
        return data
    statuses = data.getlist("status")
    if not statuses and any(name in data for name in search_fields):
        return data
    if statuses and STATUS_AWAITING not in statuses and STATUS_ALL not in statuses:
        return data
    data = data.copy()
    if STATUS_ALL in statuses:
        data.pop("status")
    else:
        named = [status for status in statuses if status != STATUS_AWAITING]
        data.setlist("status", list(dict.fromkeys([*AWAITING_DECISION, *named])))
    return data


# The `o` value of each sortable column -> what it sorts by.
SORT_FIELDS = {
    "reference": "reference",
    "employer": "employer__name",
    "submitted": "submitted_at",
    "arrival": "planned_arrival_date",
    "deadline": "deadline",
    "workers": "worker_count",
}


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting by a column that repeats (two cases submitted the same second, no deadline yet)
    would let a case jump between pages; the primary key breaks the ties. Empty values (no
    deadline yet) come last in both directions, so the top of the list is always actionable."""

    def filter(self, qs: QuerySet, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            if not param.strip("-"):
                continue  # "o=deadline," or "o=-" leaves empty items that name no column
            field = self.get_ordering_value(param)
            descending = field.startswith("-")
            expression = F(field.lstrip("-"))
            ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        return qs.order_by(*ordering, "pk")


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class ApplicationQueueFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=QUEUE_STATUS_CHOICES, widget=forms.CheckboxSelectMultiple,
        # A column of the case itself: no join to repeat rows, so no costly DISTINCT over the page.
        distinct=False,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ApplicationKind.choices, empty_label=_("Any kind"))
    reference = django_filters.CharFilter(label=_("Reference number"), lookup_expr="icontains")
    charter = django_filters.CharFilter(label=_("Charter"), method="filter_charter")
    employer = django_filters.CharFilter(label=_("Employer (name or INN)"), method="filter_employer")
    citizenship = django_filters.ChoiceFilter(
        label=_("A worker's citizenship"), choices=country_choices, empty_label=_("Any citizenship"),
        method="filter_citizenship", widget=LongSelect,
    )
    worker = django_filters.CharFilter(label=_("Worker (name or passport number)"), method="filter_worker")
    submitted_from = django_filters.DateFilter(label=_("Submitted from"), widget=date_input(), method="filter_submitted_from")
    submitted_to = django_filters.DateFilter(label=_("Submitted to"), widget=date_input(), method="filter_submitted_to")
    arrival_from = django_filters.DateFilter(
        label=_("Arrival from"), field_name="planned_arrival_date", lookup_expr="gte", widget=date_input(),
    )
    arrival_to = django_filters.DateFilter(
        label=_("Arrival to"), field_name="planned_arrival_date", lookup_expr="lte", widget=date_input(),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), widget=forms.CheckboxInput, method="filter_overdue")
    failing = django_filters.BooleanFilter(
        label=_("Fails a blocking rule check"), widget=forms.CheckboxInput, method="filter_failing",
    )
    mine = django_filters.BooleanFilter(label=_("Assigned to me"), widget=forms.CheckboxInput, method="filter_mine")
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=tuple((field, key) for key, field in SORT_FIELDS.items()),
        # Given whole: django-filter's own "(descending)" labels are formatted once, at import,
        # in whichever language is active then.
        choices=[
            ("deadline", _("Deadline, soonest first")),
            ("-deadline", _("Deadline, latest first")),
            ("submitted", _("Submitted, oldest first")),
            ("-submitted", _("Submitted, newest first")),
            ("arrival", _("Arrival, soonest first")),
            ("-arrival", _("Arrival, latest first")),
            ("reference", _("Reference number, ascending")),
            ("-reference", _("Reference number, descending")),
            ("employer", _("Employer, A to Z")),
            ("-employer", _("Employer, Z to A")),
            ("workers", _("Workers, fewest first")),
            ("-workers", _("Workers, most first")),
        ],
        empty_label=_("Deadline (default)"),
    )

    class Meta:
        model = Application
        fields: list[str] = []
        form = QueueFilterForm

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = queue_query(data, search_fields=set(self.base_filters) - {"status", "o"})
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self._apply(queryset, skip=())

    def form_markup_key(self) -> str:
        """What the filter form's markup depends on: its fields (a release that adds one does not
        reuse the old markup) and the values typed in (valid or not, for the errors beside them),
        not the page number. Its choices are the same for every officer."""
        data = self.data if self.is_bound else {}
        getlist = getattr(data, "getlist", lambda name: [data[name]])
        return repr((list(self.form.fields), sorted((name, getlist(name)) for name in data if name != "page")))

    def queryset_without(self, *names: str) -> QuerySet:
        """The queue as filtered, but ignoring the filters named: the status tabs count the cases
        of every status under the other filters."""
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        self.errors  # noqa: B018 -- validates the form, as `qs` does
        return self._apply(queryset, skip=names)

    def cache_key_without(self, *names: str) -> str:
        """The filters in force but those named, as a stable text (for caching what they give)."""
        if not self.is_valid():
            return ""
        values = sorted(
            (name, str(value))
            for name, value in self.form.cleaned_data.items()
            if name in self.filters and name not in names and value not in (None, "", [], False)
        )
        return repr(values)

    def _apply(self, queryset: QuerySet, *, skip) -> QuerySet:
        # Only the filters: the form also carries the page size, which is not a filter.
        for name, value in self.form.cleaned_data.items():
            if name in self.filters and name not in skip:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_employer(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A name matches in part; digits are also tried as the INN, which matches only whole."""
        value = value.strip()
        if not value:
            return queryset
        condition = Q(employer__name__icontains=value)
        if value.isdigit():
            condition |= Q(employer__inn=value)
        return queryset.filter(condition)

    def filter_charter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The charter's reference as printed (CH-000012) or as read out (ch-12, 12)."""
        value = value.strip()
        if not value:
            return queryset
        match = re.fullmatch(r"(?i)(?:CH-?)?0*(\d{1,15})", value)
        if match is None:
            return queryset.none()
        return queryset.filter(charter__reference=charter_reference(int(match.group(1))))

    def filter_citizenship(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The case's citizenships, kept by triggers in one row a case (models/citizenships.py):
        # one narrow table with a GIN index instead of every case's workers.
        return queryset.filter(citizenships__codes__contains=[value])

    def filter_worker(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word must match the same worker's surname or given names (Latin or Cyrillic);
        the whole value, without spaces, may also be the passport number."""
        words = value.split()
        if not words:
            return queryset
        by_name = Q()
        for word in words:
            by_name &= (
                Q(worker__surname_latin__icontains=word)
                | Q(worker__given_names_latin__icontains=word)
                | Q(worker__surname_cyrillic__icontains=word)
                | Q(worker__given_names_cyrillic__icontains=word)
            )
        # The person's key, computed by the database as for the registry: "aa 123-4567" finds AA1234567.
        by_passport = Q(worker__passport_key=PassportKey(Value(" ".join(words))))
        lines = CaseWorker.objects.filter(by_name | by_passport, application=OuterRef("pk"))
        return queryset.filter(Exists(lines))

    def filter_submitted_from(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        # Compared as instants, not as `submitted_at::date`, so the queue's index still serves.
        return queryset.filter(submitted_at__gte=_start_of_day(value))

    def filter_submitted_to(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        if value == dt.date.max:  # the day after it does not exist; every case is before its end
            return queryset
        return queryset.filter(submitted_at__lt=_start_of_day(value + dt.timedelta(days=1)))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(status__in=DEADLINE_RUNNING, deadline__lt=timezone.localdate())

    def filter_failing(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        # The flag is kept true only while a case waits for a decision (see services/rule_checks.py).
        if not value:
            return queryset
        return queryset.filter(rule_check_failing=True, status__in=DEADLINE_RUNNING)

    def filter_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value or self.request is None:
            return queryset
        return queryset.filter(assigned_officer_id=self.request.user.pk)


@dataclass(frozen=True)
class _Requester:
    """What the queue's filters read from a request: who asks ("assigned to me")."""

    user: object


def filtered_queue(*, query: str, user) -> QuerySet:
    """The officer's queue filtered by a stored query string, with the officer's scope as it
    stands now (the queue export's build reads its filters this way). Raises ValueError for
    filters the view accepted whose rules have changed since."""
    queue = ApplicationQueueFilter(QueryDict(query), queryset=application_list_for_officer(user=user), request=_Requester(user))
    if not queue.is_valid():
        raise ValueError(f"The filters {query!r} are no longer valid: {queue.errors.as_json()}")
    return queue.qs
