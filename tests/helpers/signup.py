"""A company signing up through the page: what the form posts, and the confirmation link the
e-mail carries."""

import re

from tests.regions.factories import region

PASSWORD = "taiga-river-1987-north"
# Valid check digits, and prefixes the factories never draw (they use 77… and 102770…).
INN = "5001007329"
OGRN = "1025001234565"
OTHER_INN = "5406123450"
OTHER_OGRN = "1055400123459"


def registration_data(**overrides):
    data = {
        "email": "Anna.Petrova@Vostok.example",
        "full_name": "Anna Petrova",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "name": 'ООО "Восток & Строй"',
        "inn": INN,
        "ogrn": OGRN,
        "legal_address": "Московская обл., г. Балашиха, ул. Советская, 5",
        "region": region(50).pk,
        "phone": "+7 495 123-45-67",
        "kind": "legal_entity",
        "figures_year": "2020",
        "annual_revenue_rub": "1200000000",
        "average_headcount": "350",
        "language": "en",
    }
    return {**data, **overrides}


def confirmation_path(message) -> str:
    match = re.search(r"http://testserver(/accounts/confirm/[^/\s]+/[^/\s]+/)", message.body)
    assert match, f"no confirmation link in: {message.body}"
    return match.group(1)
