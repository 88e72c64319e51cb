"""Identifiers and contacts: whatever way people type them, one stored form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from creative_regions.community import validators

pytestmark = pytest.mark.usefixtures("english")

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
separators = st.sampled_from(["", " ", "-", "  ", " - "])


@st.composite
def company_inns(draw) -> str:
    stem = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    return stem + stdnum_inn.calc_company_check_digit(stem)


@st.composite
def personal_inns(draw) -> str:
    stem = draw(st.text(alphabet="0123456789", min_size=10, max_size=10))
    return stem + stdnum_inn.calc_personal_check_digits(stem)


@st.composite
def ogrns(draw) -> str:
    first = draw(st.sampled_from("15"))
    stem = first + draw(st.text(alphabet="0123456789", min_size=11, max_size=11))
    return stem + stdnum_ogrn.calc_check_digit(stem + "0")


@st.composite
def spaced(draw, value: str) -> str:
    """``value`` with separators between some of its characters, padded."""
    parts = [value[0]]
    for character in value[1:]:
        parts.append(draw(separators) + character)
    return draw(st.sampled_from(["", " "])) + "".join(parts) + draw(separators)


@given(data=st.data(), inn=st.one_of(company_inns(), personal_inns()))
def test_an_inn_typed_with_spaces_or_dashes_is_stored_as_its_digits(data, inn):
    typed = data.draw(spaced(inn))

    normalised = validators.normalise_inn(typed)

    assert normalised == inn
    assert validators.normalise_inn(normalised) == normalised
    validators.validate_inn(normalised)


@given(inn=company_inns(), wrong=digits)
def test_a_changed_check_digit_always_fails_the_checksum(inn, wrong):
    if wrong == inn[-1]:
        return
    with pytest.raises(ValidationError) as raised:
        validators.validate_inn(inn[:-1] + wrong)

    assert raised.value.messages == ["INN failed its checksum: check the digits."]


@given(data=st.data(), ogrn=ogrns())
def test_an_ogrn_typed_with_separators_round_trips(data, ogrn):
    normalised = validators.normalise_ogrn(data.draw(spaced(ogrn)))

    assert normalised == ogrn
    validators.validate_ogrn(normalised)


MOBILE_CODES = ["903", "912", "916", "926", "950", "999"]


@st.composite
def russian_mobiles(draw) -> tuple[str, str]:
    """A mobile number as (code, seven digits)."""
    code = draw(st.sampled_from(MOBILE_CODES))
    return code, draw(st.text(alphabet="0123456789", min_size=7, max_size=7))


@given(number=russian_mobiles(), style=st.integers(min_value=0, max_value=4))
def test_a_russian_number_in_any_usual_spelling_becomes_one_e164(number, style):
    code, rest = number
    typed = [
        f"+7{code}{rest}",
        f"8{code}{rest}",
        f"8 ({code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}",
        f"+7 {code} {rest[:3]} {rest[3:5]} {rest[5:]}",
        f"{code}{rest}",
    ][style]

    normalised = validators.normalise_phone(typed)

    assert normalised == f"+7{code}{rest}"
    assert validators.normalise_phone(normalised) == normalised
    validators.validate_phone(normalised)


@given(text=st.text(max_size=20))
def test_whatever_normalising_keeps_a_phone_is_either_valid_or_refused(text):
    normalised = validators.normalise_phone(text)
    if not normalised:
        return
    try:
        validators.validate_phone(normalised)
    except ValidationError as error:
        assert error.code == "phone"
    else:
        assert normalised.startswith("+")


handles = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{3,20}[A-Za-z0-9]", fullmatch=True)


@given(
    handle=handles,
    spelling=st.sampled_from(
        [
            "{}",
            "@{}",
            "t.me/{}",
            "https://t.me/{}",
            "http://telegram.me/{}/",
            " https://www.t.me/{} ",
        ]
    ),
)
def test_a_telegram_name_in_any_spelling_is_stored_as_at_name(handle, spelling):
    normalised = validators.normalise_telegram(spelling.format(handle))

    assert normalised == f"@{handle}"
    assert validators.normalise_telegram(normalised) == normalised
    validators.validate_telegram(normalised)


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("https://t.me/+AbCdEfGh12", "https://t.me/+AbCdEfGh12"),
        ("t.me/joinchat/AbCdEfGh12", "https://t.me/joinchat/AbCdEfGh12"),
        ("vk.com/design_bureau", "https://vk.com/design_bureau"),
        ("https://vk.ru/club12345/", "https://vk.com/club12345"),
        ("@design.bureau", "https://vk.com/design.bureau"),
    ],
)
def test_invitation_and_vk_links_are_normalised(typed, stored):
    if "vk" in stored:
        assert validators.normalise_vk(typed) == stored
        validators.validate_vk(stored)
    else:
        assert validators.normalise_telegram(typed) == stored
        validators.validate_telegram(stored)


@pytest.mark.parametrize("typed", ["@abc", "@1studio", "@studio_", "t.me/a b c"])
def test_a_malformed_telegram_name_is_refused_with_the_rule(typed):
    with pytest.raises(ValidationError) as raised:
        validators.validate_telegram(validators.normalise_telegram(typed))

    assert raised.value.messages == [
        "Telegram: enter a public name such as @studio_name (5–32 Latin letters, "
        "digits or underscores) or a t.me link."
    ]
