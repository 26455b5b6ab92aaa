"""Checksums of Russian company registration numbers, with messages a person understands."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn


def _ascii_digits(value: str) -> None:
    # python-stdnum reads any Unicode digit ("７７０７…" typed in full width) as a number and lets it
    # through; the database (employer_inn_digits, employer_ogrn_digits) accepts only 0-9.
    if not (value.isascii() and value.isdigit()):
        raise InvalidFormat()


def validate_inn(value: str) -> None:
    """A taxpayer number: 10 digits for a company, 12 for an individual entrepreneur."""
    try:
        _ascii_digits(value)
        stdnum_inn.validate(value)
    except (InvalidFormat, InvalidLength):
        raise ValidationError(_("An INN has 10 digits (a company) or 12 digits (an entrepreneur)."), code="inn_format") from None
    except InvalidChecksum:
        raise ValidationError(_("This INN has a wrong check digit: please check it for a typo."), code="inn_checksum") from None


def validate_ogrn(value: str) -> None:
    """OGRN (13 digits, a company) or OGRNIP (15 digits, an individual entrepreneur).

    python-stdnum checks the 15-digit OGRNIP against `remainder mod 13` in full, but the
    control digit is the *last digit* of that remainder; real OGRNIPs whose remainder is 10,
    11 or 12 would be refused. So the length and prefix come from stdnum and the OGRNIP check
    digit is computed here.
    """
    try:
        _ascii_digits(value)
        stdnum_ogrn.validate(value)
    except InvalidChecksum:
        if len(value) == 15 and int(value[:14]) % 13 % 10 == int(value[14]):
            return
        raise ValidationError(_("This OGRN has a wrong check digit: please check it for a typo."), code="ogrn_checksum") from None
    except (InvalidFormat, InvalidLength, InvalidComponent):
        raise ValidationError(
            _("An OGRN has 13 digits (a company) or an OGRNIP 15 digits starting with 3 (an entrepreneur)."),
            code="ogrn_format",
        ) from None


# The lengths of each kind of company: (INN, OGRN). Kept beside the database constraint
# employer_numbers_match_kind, which says the same.
NUMBER_LENGTHS = {"legal_entity": (10, 13), "entrepreneur": (12, 15)}


def kind_number_errors(kind: str, inn: str, ogrn: str) -> dict[str, ValidationError]:
    """The INN and OGRN that do not fit the company's kind, each with a message for its field.
    A number of neither length is left to validate_inn / validate_ogrn."""
    lengths = NUMBER_LENGTHS.get(kind)
    if lengths is None:
        return {}
    inn_length, ogrn_length = lengths
    errors = {}
    if inn and len(inn) in (10, 12) and len(inn) != inn_length:
        errors["inn"] = ValidationError(
            _("A legal entity has a 10-digit INN; this one has 12 digits, as an entrepreneur's.")
            if kind == "legal_entity"
            else _("An individual entrepreneur has a 12-digit INN; this one has 10 digits, as a legal entity's."),
            code="inn_kind",
        )
    if ogrn and len(ogrn) in (13, 15) and len(ogrn) != ogrn_length:
        errors["ogrn"] = ValidationError(
            _("A legal entity has a 13-digit OGRN; this is a 15-digit OGRNIP, as an entrepreneur's.")
            if kind == "legal_entity"
            else _("An individual entrepreneur has a 15-digit OGRNIP; this is a 13-digit OGRN, as a legal entity's."),
            code="ogrn_kind",
        )
    return errors
