"""The filter of the registry on the page that adds workers to a draft in bulk, kept in the URL so
"all N matching" adds exactly the list the employer sees."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from applications.models import CaseWorker, Worker
from applications.selectors.people import live_lines
from applications.selectors.workers import NAME_FIELDS


class RegistryForCaseFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), method="filter_name")
    passport = django_filters.CharFilter(label=_("Passport number"), method="filter_passport")
    citizenship = django_filters.ChoiceFilter(label=_("Citizenship"), empty_label=_("Any citizenship"))
    not_on_live_case = django_filters.BooleanFilter(
        label=_("Not on a live application"),
        method="filter_not_on_live_case",
        widget=forms.CheckboxInput,
        help_text=_("Leaves out workers on an application under review, or approved and not yet arrived."),
    )

    class Meta:
        model = Worker
        fields: list[str] = []

    def __init__(self, *args, citizenships: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["citizenship"].extra["choices"] = citizenships

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            in_any_name = Q()
            for field in NAME_FIELDS:
                in_any_name |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(in_any_name)
        return queryset

    def filter_passport(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        number = "".join(value.split()).upper()
        return queryset.filter(passport_key__contains=number) if number else queryset

    def filter_not_on_live_case(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(~Exists(CaseWorker.objects.filter(live_lines(), worker=OuterRef("pk"))))
