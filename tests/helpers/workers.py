"""What the worker registry's form posts for a worker that passes, changed by keyword."""

import datetime as dt

from django.utils import timezone


def in_years(years: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=round(years * 365.25))


def worker_form_data(**overrides):
    data = {
        "surname_latin": "Karimov",
        "given_names_latin": "Alisher  Bakhtiyorovich",
        "surname_cyrillic": "Каримов",
        "given_names_cyrillic": "Алишер",
        "sex": "M",
        "date_of_birth": "1990-05-17",
        "citizenship": "UZ",
        "passport_number": "fa 123 4567",
        "passport_expiry": in_years(3).isoformat(),
        "occupation": "Bricklayer",
        "phone": "+998 90 123-45-67",
    }
    return {**data, **overrides}
