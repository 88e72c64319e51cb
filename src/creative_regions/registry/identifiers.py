"""INN and OGRN checks for millions of records.

The checksums are python-stdnum's own; only its input clean-up is skipped for the
plain digit strings the register carries, which makes the check several times
faster. Anything else goes through stdnum's full validation.
"""

from stdnum.ru import inn, ogrn


def is_valid_inn(value: str) -> bool:
    if value.isascii() and value.isdigit():
        if len(value) == 10:
            return inn.calc_company_check_digit(value) == value[-1]
        if len(value) == 12:
            return inn.calc_personal_check_digits(value) == value[-2:]
        return False
    return inn.is_valid(value)


def is_valid_ogrn(value: str) -> bool:
    if value.isascii() and value.isdigit():
        if len(value) == 13:
            is_well_formed = value[0] != "0"
        elif len(value) == 15:
            is_well_formed = value[0] in "34"
        else:
            return False
        return is_well_formed and ogrn.calc_check_digit(value) == value[-1]
    return ogrn.is_valid(value)
