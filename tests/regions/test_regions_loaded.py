"""The reference list of Russian federal subjects (2021) is loaded by migration regions.0002."""

import re

import pycountry
import pytest

from regions.models import FederalDistrict, Region

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")


def test_there_are_exactly_85_federal_subjects():
    assert Region.objects.count() == 85


def test_region_numbers_are_the_tax_service_codes():
    expected = set(range(1, 80)) | {83, 86, 87, 89, 91, 92}
    assert set(Region.objects.values_list("number", flat=True)) == expected


def test_each_of_the_8_federal_districts_has_at_least_one_region():
    used = set(Region.objects.values_list("federal_district", flat=True))
    assert used == set(FederalDistrict.values)
    assert len(used) == 8


def test_moscow_is_region_77_with_iso_code_ru_mow():
    moscow = Region.objects.get(number=77)
    assert moscow.iso_code == "RU-MOW"
    assert moscow.name_ru == "Москва"
    assert moscow.name_en == "Moscow"
    assert moscow.federal_district == FederalDistrict.CENTRAL


def test_saint_petersburg_is_region_78_with_iso_code_ru_spe():
    spb = Region.objects.get(number=78)
    assert spb.iso_code == "RU-SPE"
    assert spb.name_ru == "Санкт-Петербург"
    assert spb.name_en == "Saint Petersburg"
    assert spb.federal_district == FederalDistrict.NORTHWESTERN


def test_moscow_oblast_is_region_50_distinct_from_the_city():
    oblast = Region.objects.get(number=50)
    assert oblast.iso_code == "RU-MOS"
    assert oblast.name_en == "Moscow Oblast"


@pytest.mark.parametrize(
    ("number", "name_en"), [(91, "Republic of Crimea"), (92, "Sevastopol")]
)
def test_crimea_and_sevastopol_have_no_iso_code_and_are_in_the_southern_district(number, name_en):
    region = Region.objects.get(number=number)
    assert region.name_en == name_en
    assert region.iso_code == ""
    assert region.federal_district == FederalDistrict.SOUTHERN


def test_every_iso_code_is_a_real_russian_subdivision_and_used_once():
    known = {s.code for s in pycountry.subdivisions.get(country_code="RU")}
    codes = list(Region.objects.exclude(iso_code="").values_list("iso_code", flat=True))
    assert len(codes) == 83
    assert len(set(codes)) == len(codes)
    assert set(codes) <= known


@pytest.mark.parametrize(("number", "iso_code"), [(3, "RU-BU"), (75, "RU-ZAB")])
def test_buryatia_and_zabaykalsky_krai_are_in_the_far_eastern_district(number, iso_code):
    region = Region.objects.get(number=number)
    assert region.iso_code == iso_code
    assert region.federal_district == FederalDistrict.FAR_EASTERN


def test_every_region_has_a_russian_and_an_english_name():
    for region in Region.objects.all():
        assert CYRILLIC.search(region.name_ru), region.number
        assert LATIN.search(region.name_en), region.number
        assert not CYRILLIC.search(region.name_en), region.number


def test_loading_the_regions_again_changes_nothing():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("regions.migrations.0002_load_regions")
    migration.load_regions(apps, schema_editor=None)
    assert Region.objects.count() == 85


def test_every_region_has_a_time_zone_that_zoneinfo_knows():
    import zoneinfo

    zones = dict(Region.objects.values_list("number", "time_zone"))
    assert len(zones) == 85
    unknown = {number: zone for number, zone in zones.items() if zone not in zoneinfo.available_timezones()}
    assert unknown == {}


@pytest.mark.parametrize(
    ("number", "utc_offset_hours"),
    [
        (39, 2),   # Kaliningrad
        (77, 3),   # Moscow
        (63, 4),   # Samara
        (66, 5),   # Sverdlovsk (Yekaterinburg)
        (54, 7),   # Novosibirsk
        (38, 8),   # Irkutsk
        (14, 9),   # Yakutia: the capital's zone, though the republic spans three
        (25, 10),  # Primorye (Vladivostok)
        (49, 11),  # Magadan
        (41, 12),  # Kamchatka
        (87, 12),  # Chukotka
    ],
)
def test_regions_keep_their_clocks_offset_from_utc_as_in_2021(number, utc_offset_hours):
    import datetime as dt

    zone = Region.objects.get(number=number).zone
    assert dt.datetime(2021, 3, 1, 12, tzinfo=zone).utcoffset() == dt.timedelta(hours=utc_offset_hours)
