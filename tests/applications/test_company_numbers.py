"""INN and OGRN/OGRNIP checks, with real registered numbers of both lengths."""

import pytest
from django.core.exceptions import ValidationError

from applications.validators import validate_inn, validate_ogrn
from tests.helpers.company_numbers import (
    REAL_COMPANY_INNS,
    REAL_ENTREPRENEUR_INNS,
    REAL_OGRNIPS,
    REAL_OGRNIPS_WITH_TWO_DIGIT_REMAINDER,
    REAL_OGRNS,
)


@pytest.mark.parametrize("number", REAL_COMPANY_INNS + REAL_ENTREPRENEUR_INNS)
def test_real_inns_of_both_lengths_are_accepted(number):
    validate_inn(number)


@pytest.mark.parametrize("number", REAL_OGRNS + REAL_OGRNIPS + REAL_OGRNIPS_WITH_TWO_DIGIT_REMAINDER)
def test_real_ogrns_and_ogrnips_are_accepted(number):
    validate_ogrn(number)


def test_an_inn_with_a_typo_is_refused_as_a_wrong_check_digit():
    with pytest.raises(ValidationError) as error:
        validate_inn("7707083894")
    assert error.value.code == "inn_checksum"
    assert "check digit" in str(error.value.messages[0])


@pytest.mark.parametrize("number", ["12345", "77070838931", "77O7083893", ""])
def test_an_inn_of_the_wrong_shape_is_refused_with_the_expected_length(number):
    with pytest.raises(ValidationError) as error:
        validate_inn(number)
    assert error.value.code == "inn_format"


@pytest.mark.parametrize("number", ["1027700132196", "317237500425683", "321385000066065"])
def test_an_ogrn_or_ogrnip_with_a_typo_is_refused(number):
    with pytest.raises(ValidationError) as error:
        validate_ogrn(number)
    assert error.value.code == "ogrn_checksum"


@pytest.mark.parametrize("number", ["102770013219", "1027700132195000", "521385000066066", "abc"])
def test_an_ogrn_of_the_wrong_shape_is_refused(number):
    with pytest.raises(ValidationError) as error:
        validate_ogrn(number)
    assert error.value.code == "ogrn_format"
