"""Russian formats of the portal: Django's own (django/conf/locale/ru/formats.py), but for
numbers grouped by a narrow no-break space (U+202F, "1 234 567"), as Russian typography groups
them; Django's is a full no-break space. Dates stay "5 апреля 2021 г." (DATE_FORMAT) and
"05.04.2021" (SHORT_DATE_FORMAT): portal/date_formats.py writes the numeric ones with strftime and
must write what these say.

Loaded through settings.FORMAT_MODULE_PATH; a name not set here falls back to Django's.
"""

from django.conf.locale.ru.formats import (  # noqa: F401 - the rest of Django's Russian formats, as they are
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    DECIMAL_SEPARATOR,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    NUMBER_GROUPING,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)

THOUSAND_SEPARATOR = "\u202f"  # narrow no-break space
