"""Hostile INNs, OGRNs and kinds at sign-up are said next to their field, never a 500."""

import pytest
from django.urls import reverse

from applications.models import Employer, EmployerKind
from tests.helpers.company_numbers import REAL_COMPANY_INNS, REAL_OGRNS
from tests.helpers.signup import registration_data
from tests.pages import field_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("inn", "７７０７０８３８９３"),  # full-width digits
        ("inn", "٧٧٠٧٠٨٣٨٩٣"),  # Arabic-Indic digits
        ("ogrn", "１０２７７００１３２１９５"),  # a real OGRN in full-width digits
        ("inn", "7707-083893"),
        ("inn", "1" * 5000),
        ("ogrn", "３" * 15),
        ("ogrn", "1027700132195\u200b"),
        ("ogrn", "0" * 20),
    ],
)
def test_a_hostile_number_is_refused_next_to_its_field(english, field, value):  # noqa: F811
    data = registration_data(kind=EmployerKind.LEGAL_ENTITY, inn=REAL_COMPANY_INNS[0], ogrn=REAL_OGRNS[0])
    data[field] = value

    response = english.post(reverse("accounts:register"), data)

    assert response.status_code == 200
    assert field_error(response, field)
    assert not Employer.objects.exists()


def test_an_unknown_kind_is_refused_without_a_500(english):  # noqa: F811
    data = registration_data(kind="sole_trader", inn=REAL_COMPANY_INNS[0], ogrn=REAL_OGRNS[0])

    response = english.post(reverse("accounts:register"), data)

    assert response.status_code == 200
    assert field_error(response, "kind")
    assert not Employer.objects.exists()
