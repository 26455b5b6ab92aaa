"""Driving the rule version admin as an admin does: its pages, and the form data it posts."""

import datetime as dt

from django.forms.models import model_to_dict
from django.urls import reverse

from regions.models import RuleSet

CHANGELIST = reverse("admin:regions_ruleset_changelist")
ADD = reverse("admin:regions_ruleset_add")


def change_url(rule_set):
    return reverse("admin:regions_ruleset_change", args=[rule_set.pk])


def form_data(rule_set=None, **changes):
    """What the admin form posts for `rule_set` (or a blank version), with `changes` applied."""
    values = model_to_dict(rule_set or RuleSet(), exclude=["id", "created_at", "created_by"])
    values.update(changes)
    data = {}
    for name, value in values.items():
        if value is True:
            data[name] = "on"
        elif value is False:
            continue  # an unticked checkbox is not posted
        elif value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = ",".join(value)
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = value
    return data
