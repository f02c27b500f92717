"""France's register identifiers (SIREN, SIRET, RNA), checked with a sentence saying what is wrong.

The checksums come from python-stdnum (Luhn for SIREN and SIRET, with La Poste's SIRET exception);
this module only normalises what people type (spaces, dots) and words the refusal.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

RNA_RE = re.compile(r"^W[0-9A-Z]{9}$")
COMPANY_PAGE = "https://annuaire-entreprises.data.gouv.fr/entreprise/{siren}"


def compact(value: str) -> str:
    """What people paste ("552 100 554", "552.100.554 00025") without its separators."""
    return re.sub(r"[\s.\-/]", "", value or "").upper()


def _check(value, module, length, label):
    digits = compact(value)
    if not digits:
        return
    if not digits.isdigit():
        raise ValidationError(
            _("A %(label)s has digits only; “%(value)s” has other characters.")
            % {"label": label, "value": value},
            code="invalid",
        )
    if len(digits) != length:
        raise ValidationError(
            _("A %(label)s has %(length)d digits; “%(value)s” has %(count)d.")
            % {"label": label, "length": length, "value": value, "count": len(digits)},
            code="length",
        )
    try:
        module.validate(digits)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("“%(value)s” is not a valid %(label)s: its check digit does not match (a typo?).")
            % {"label": label, "value": value},
            code="checksum",
        ) from None


def validate_siren(value: str) -> None:
    _check(value, stdnum_siren, 9, "SIREN")


def validate_siret(value: str) -> None:
    _check(value, stdnum_siret, 14, "SIRET")


def validate_rna(value: str) -> None:
    rna = compact(value)
    if rna and not RNA_RE.match(rna):
        raise ValidationError(
            _("An RNA number is “W” followed by 9 digits or letters; “%(value)s” is not.")
            % {"value": value},
            code="invalid",
        )


def siren_of(siret: str) -> str:
    """The SIREN inside a SIRET (its first nine digits)."""
    return compact(siret)[:9]


def company_page(siren: str) -> str:
    """The public page of a company in the national directory (linked, never fetched here)."""
    return COMPANY_PAGE.format(siren=compact(siren)) if siren else ""
