"""Local times and their zones: turning what a person reads on a clock (a date, a time, a zone)
into an instant, and showing an instant back as that person would read it.

Arrivals are entered in the zone of arrival and PCR tests in the zone of the place they were
taken; both are stored as instants (aware datetimes) so their difference is exact.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib import resources
from zoneinfo import ZoneInfo

from portal.date_formats import date_format

# Where a country spans several zones, the zone its capital reads clocks in; zone.tab lists a
# country's zones in no such order (Uzbekistan's first is Samarkand, Kazakhstan's Almaty is
# right only by luck). Countries with one zone need no entry.
CAPITAL_ZONES = {
    "RU": "Europe/Moscow",
    "KZ": "Asia/Almaty",
    "UZ": "Asia/Tashkent",
    "UA": "Europe/Kyiv",
    "MN": "Asia/Ulaanbaatar",
    "CN": "Asia/Shanghai",
    "US": "America/New_York",
    "CA": "America/Toronto",
    "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo",
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "ID": "Asia/Jakarta",
    "ES": "Europe/Madrid",
    "PT": "Europe/Lisbon",
    "DE": "Europe/Berlin",
    "MY": "Asia/Kuala_Lumpur",
    "CL": "America/Santiago",
    "EC": "America/Guayaquil",
    "NZ": "Pacific/Auckland",
    "CD": "Africa/Kinshasa",
    "PS": "Asia/Gaza",
    "CY": "Asia/Nicosia",
}
FALLBACK_ZONE = "Europe/Moscow"


class NonexistentLocalTime(ValueError):
    """The clocks of the zone skipped this time (a daylight-saving change)."""


@functools.cache
def country_zones() -> dict[str, tuple[str, ...]]:
    """Each country's zones (ISO 3166-1 alpha-2 -> IANA names), from the tz database's zone.tab."""
    zones: dict[str, list[str]] = {}
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _coordinates, name, *_comment = line.split("\t")
        zones.setdefault(country, []).append(name)
    return {country: tuple(names) for country, names in zones.items()}


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every zone a person can choose: those zone.tab gives some country, sorted by name."""
    names = {name for zones in country_zones().values() for name in zones}
    names.update(CAPITAL_ZONES.values())
    return tuple(sorted(names))


def usual_zone(country: str) -> str:
    """The zone a citizen of `country` most likely reads clocks in: the capital's."""
    country = (country or "").upper()
    if country in CAPITAL_ZONES:
        return CAPITAL_ZONES[country]
    zones = country_zones().get(country)
    return zones[0] if zones else FALLBACK_ZONE


def local_instant(day: dt.date, time: dt.time, zone: ZoneInfo, *, fold: int = 0) -> dt.datetime:
    """The instant a clock in `zone` shows `day` `time`. A time the clocks skipped raises
    NonexistentLocalTime (zoneinfo would silently move it by the gap). A time the clocks showed
    twice is read as the first (fold=0) or the second (fold=1) of the two."""
    naive = dt.datetime.combine(day, time.replace(tzinfo=None, second=0, microsecond=0))
    aware = naive.replace(tzinfo=zone, fold=fold)
    round_trip = aware.astimezone(dt.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(f"{naive} does not exist in {zone.key}")
    return aware


def utc_offset(moment: dt.datetime) -> str:
    """"UTC+10", "UTC+5:30", "UTC-3": the offset of an aware moment."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(name: str, on: dt.datetime | None = None) -> str:
    """"Asia/Tashkent (UTC+5)", the offset as it stands at `on` (now by default)."""
    zone = ZoneInfo(name)
    moment = (on or dt.datetime.now(dt.UTC)).astimezone(zone)
    return f"{name} ({utc_offset(moment)})"


def in_zone(moment: dt.datetime | None, zone: ZoneInfo | str | None) -> str:
    """"12.05.2021 14:30 (Asia/Vladivostok, UTC+10)": an instant as read on a clock in `zone`,
    with the zone, so nobody mistakes it for Moscow time."""
    if moment is None:
        return ""
    if isinstance(zone, str):
        zone = ZoneInfo(zone) if zone else None
    zone = zone or ZoneInfo(FALLBACK_ZONE)
    local = moment.astimezone(zone)
    # The date as the reader's language writes it; the time on a 24-hour clock, as flight
    # tables and laboratory certificates print it.
    return f"{date_format(local, 'SHORT_DATE_FORMAT')} {local:%H:%M} ({zone.key}, {utc_offset(local)})"
