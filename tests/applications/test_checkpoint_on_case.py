"""A case names its border crossing point from the reference list, or an "other" crossing with
its region; the arrival is read in the clock of that crossing's region."""

import datetime as dt
import zoneinfo

import pytest
from django.db import IntegrityError, transaction

from applications.models import Application, Status
from regions.checkpoints import checkpoint_keys, match_checkpoint
from regions.models import Checkpoint
from tests.applications.factories import ApplicationFactory
from tests.regions.factories import checkpoint, region

pytestmark = pytest.mark.django_db


def test_a_case_names_a_checkpoint_by_default_and_arrives_in_its_regions_zone():
    case = ApplicationFactory(checkpoint=checkpoint("PKC"))

    assert case.checkpoint.code == "PKC"
    assert case.arrival_zone == zoneinfo.ZoneInfo("Asia/Kamchatka")


def test_an_other_crossing_arrives_in_the_zone_of_the_region_named_with_it():
    case = ApplicationFactory(region=region(77), border_crossing_point="Mamonovo-Grzechotki", border_region=region(39))

    assert case.checkpoint is None
    assert case.arrival_zone == zoneinfo.ZoneInfo("Europe/Kaliningrad")


def test_the_factory_keeps_free_text_usable_as_an_other_crossing_in_the_region_of_work():
    case = ApplicationFactory(region=region(25), border_crossing_point="Zarubino seaport")

    assert (case.checkpoint, case.border_region) == (None, region(25))


def test_without_any_crossing_the_arrival_is_read_in_the_region_of_work():
    case = Application(region=region(41))

    assert case.arrival_zone == zoneinfo.ZoneInfo("Asia/Kamchatka")


def test_khrabrovo_arrivals_are_two_hours_ahead_of_utc_and_one_behind_moscow():
    case = ApplicationFactory(checkpoint=checkpoint("KGD"))
    arrival = dt.datetime(2021, 7, 1, 12, tzinfo=case.arrival_zone)

    assert arrival.utcoffset() == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"checkpoint": "SVO", "border_crossing_point": "Sheremetyevo", "border_region": 50}, "both a checkpoint and another"),
        ({"checkpoint": None, "border_crossing_point": "Somewhere", "border_region": None}, "other without a region"),
        ({"checkpoint": None, "border_crossing_point": "", "border_region": 50}, "other without a name"),
        ({"checkpoint": None, "border_crossing_point": "", "border_region": None}, "no crossing at all"),
    ],
)
@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED])
def test_the_database_refuses_a_crossing_that_is_not_exactly_one_of_checkpoint_or_other(fields, why, status):
    case = ApplicationFactory(status=status)
    values = {
        "checkpoint": checkpoint(fields["checkpoint"]) if fields["checkpoint"] else None,
        "border_crossing_point": fields["border_crossing_point"],
        "border_region": region(fields["border_region"]) if fields["border_region"] else None,
    }

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=case.pk).update(**values)


def test_a_checkpoint_that_cases_name_cannot_be_deleted():
    ApplicationFactory(checkpoint=checkpoint("DME"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Checkpoint.objects.filter(code="DME").delete()


# The data migration of the free text cases held before


@pytest.fixture
def matcher():
    # What the data migration of the cases' free text runs (applications 0009).
    index = checkpoint_keys(Checkpoint.objects.values("code", "kind", "name_ru", "name_en"))
    return lambda text: match_checkpoint(text, index)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Sheremetyevo", "SVO"),
        ("sheremetyevo airport", "SVO"),
        ("Аэропорт Шереметьево (SVO)", "SVO"),
        ("ШЕРЕМЕТЬЕВО", "SVO"),
        ("Толмачево", "OVB"),  # ё written as е
        ("Koltsovo (Yekaterinburg)", "SVX"),
        ("Верхний Ларс", "road-verkhny-lars"),
        ("МАПП Троицк", "road-troitsk"),
    ],
)
def test_free_text_naming_a_checkpoint_in_either_language_becomes_that_checkpoint(matcher, text, code):
    assert matcher(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "Zabaikalsk",  # by road or by rail: not for the migration to guess
        "Mamonovo",
        "",
        "Moscow",
        "МАПП Маштаков (Оренбургская область) и далее",
    ],
)
def test_free_text_that_names_no_single_checkpoint_stays_an_other_crossing(matcher, text):
    assert matcher(text) is None
