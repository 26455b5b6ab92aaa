"""What a new draft is filed with: a Moscow project arriving through Vnukovo."""

import datetime as dt
from zoneinfo import ZoneInfo

from tests.regions.factories import checkpoint, region


def draft_fields():
    return {
        "region": region(77),
        "project_name": "Metro line 16",
        "planned_arrival_at": dt.datetime(2031, 5, 1, 12, 0, tzinfo=ZoneInfo("Europe/Moscow")),
        "checkpoint": checkpoint("VKO"),
    }
