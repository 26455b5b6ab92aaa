import datetime as dt

import factory
from django.utils import timezone

from regions.models import Checkpoint, EligibilityThreshold, Region, RuleSet


def region(number: int) -> Region:
    """The real region loaded by the data migration (77 Moscow, 78 Saint Petersburg, ...)."""
    return Region.objects.get(number=number)


def checkpoint(code: str) -> Checkpoint:
    """The real border crossing point loaded by the data migration ("SVO", "road-verkhny-lars", ...)."""
    return Checkpoint.objects.select_related("region").get(code=code)


def arrival_checkpoint(region_: Region) -> Checkpoint:
    """Where a case of the region lands by default: Sheremetyevo for Moscow and its oblast (as
    most of their workers did), else the region's own international airport, else Sheremetyevo,
    so a case's zone of arrival is its region's own wherever the region has an airport."""
    if region_.number not in (77, 50):
        own = Checkpoint.objects.filter(region=region_, kind="airport").order_by("code").first()
        if own is not None:
            return own
    return checkpoint("SVO")


class RuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleSet

    region = factory.LazyFunction(lambda: region(77))
    effective_from = dt.date(2020, 6, 1)
    intake_open = True
    isolation_days = 14
    pcr_max_age_hours = 72
    days_to_decide = 10
    insurance_required = True
    isolation_housing_required = True
    # Published, as the rules a case is judged on are; a test of a draft passes published_at=None.
    published_at = factory.LazyFunction(timezone.now)


class EligibilityThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityThreshold
        django_get_or_create = ("effective_from",)

    effective_from = dt.date(2020, 1, 1)
    min_annual_revenue_rub = 800_000_000
    min_average_headcount = 100


def new_version(rule_set: RuleSet, *, effective_from: dt.date | None = None, **changes) -> RuleSet:
    """A change of rules as it is made: a new version of `rule_set`'s region with the same rules
    and `changes`, from the next day by default (a version in force is never edited). Cases
    arriving after it are judged on it."""
    from django.forms.models import model_to_dict

    rules = model_to_dict(rule_set, exclude=["id", "region", "effective_from", "created_at", "created_by"])
    return RuleSetFactory(
        region=rule_set.region, effective_from=effective_from or rule_set.effective_from + dt.timedelta(days=1),
        **{**rules, **changes},
    )
