"""Border crossing points are reference data: loaded by a migration (regions/checkpoints.py) from
regions/data/checkpoints.csv, each in a region and so in that region's time zone."""

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from regions.checkpoints import load_checkpoints
from regions.models import Checkpoint, CheckpointKind

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "regions" / "data" / "checkpoints.csv"


def utc_offset(checkpoint: Checkpoint) -> dt.timedelta:
    return dt.datetime(2021, 7, 1, 12, tzinfo=checkpoint.zone).utcoffset()


def test_at_least_the_40_busiest_checkpoints_are_loaded_each_in_a_region():
    assert Checkpoint.objects.count() >= 40
    assert not Checkpoint.objects.filter(region__isnull=True).exists()
    assert Checkpoint.objects.filter(active=True).count() >= 40


def test_airports_road_rail_and_sea_crossings_are_all_there():
    assert set(Checkpoint.objects.values_list("kind", flat=True)) == set(CheckpointKind.values)


def test_codes_are_unique_and_airports_go_by_their_iata_code():
    codes = list(Checkpoint.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert Checkpoint.objects.get(code="SVO").kind == CheckpointKind.AIRPORT
    assert Checkpoint.objects.get(code="SVO").region.number == 50  # Moscow Oblast, not the city


def test_the_data_file_says_where_the_list_comes_from():
    first_line = DATA.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# source:")
    assert "763-р" in first_line or "763-r" in first_line


@pytest.mark.parametrize(
    ("code", "region_number", "hours"),
    [
        ("PKC", 41, 12),  # Yelizovo, Kamchatka
        ("KGD", 39, 2),  # Khrabrovo, Kaliningrad
        ("VVO", 25, 10),  # Knevichi, Primorye
        ("SVO", 50, 3),
        ("road-verkhny-lars", 15, 3),  # North Ossetia, the Georgian border
        ("road-zabaikalsk", 75, 9),
        ("rail-zabaikalsk", 75, 9),
    ],
)
def test_a_checkpoint_lies_in_its_region_and_keeps_its_clock(code, region_number, hours):
    checkpoint = Checkpoint.objects.select_related("region").get(code=code)
    assert checkpoint.region.number == region_number
    assert utc_offset(checkpoint) == dt.timedelta(hours=hours)


def test_the_name_follows_the_readers_language():
    checkpoint = Checkpoint.objects.get(code="PKC")
    with translation.override("ru"):
        assert checkpoint.name == checkpoint.name_ru
        assert "Елизово" in str(checkpoint)
    with translation.override("en"):
        assert checkpoint.name == checkpoint.name_en
        assert "Yelizovo" in str(checkpoint)


def test_the_label_shows_the_kind_and_the_region():
    checkpoint = Checkpoint.objects.get(code="SVO")
    with translation.override("en"):
        assert checkpoint.label == "Sheremetyevo — airport (SVO), Moscow Oblast"


def test_loading_again_changes_nothing_and_duplicates_nothing():
    before = list(Checkpoint.objects.order_by("code").values_list("code", "name_en", "kind", "region_id", "active"))

    load_checkpoints(apps, None)  # what the migration runs

    assert list(Checkpoint.objects.order_by("code").values_list("code", "name_en", "kind", "region_id", "active")) == before
