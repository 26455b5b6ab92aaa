"""Instants as a person in a given zone reads them: "12.05.2021 14:30 (Asia/Vladivostok, UTC+10)"."""

from django import template

from regions.time_zones import in_zone

register = template.Library()


@register.filter
def local_time(moment, zone) -> str:
    """`{{ application.planned_arrival_at|local_time:application.arrival_zone }}`; empty for no moment."""
    return in_zone(moment, zone)
