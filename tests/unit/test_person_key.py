"""The person key: HMAC-SHA-256 of the normalised resident number under the city key."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payroll.privacy import person_key
from payroll.privacy.rrn import RrnError

KEY = "test-person-key-of-the-city-0123456789"


@st.composite
def numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(date(1900, 1, 1), date(2025, 12, 31)))
    century = "1" if born.year < 2000 else "3"
    tail = draw(st.integers(0, 999_999))
    return f"{born:%y%m%d}-{century}{tail:06d}"


def test_the_key_is_hmac_sha256_of_the_normalised_number() -> None:
    expected = hmac.new(KEY.encode(), b"700501-2123456", hashlib.sha256).hexdigest()
    assert person_key.person_key("7005012123456", KEY) == expected
    assert person_key.person_key(" 700501-2123456 ", KEY) == expected


@given(numbers())
def test_one_number_one_key_whatever_the_form(number: str) -> None:
    plain = number.replace("-", "")
    assert person_key.person_key(number, KEY) == person_key.person_key(plain, KEY)


@given(numbers(), numbers())
def test_two_numbers_two_keys(a: str, b: str) -> None:
    assert (person_key.person_key(a, KEY) == person_key.person_key(b, KEY)) == (a == b)


@given(numbers())
def test_another_city_key_gives_another_person_key(number: str) -> None:
    other = KEY[::-1]
    assert person_key.person_key(number, KEY) != person_key.person_key(number, other)
    assert number.replace("-", "") not in person_key.person_key(number, KEY)


def test_a_missing_or_short_city_key_is_refused_in_korean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAYROLL_PERSON_KEY", raising=False)
    with pytest.raises(RrnError, match="PAYROLL_PERSON_KEY 가 설정되지 않았습니다"):
        person_key.person_key("700501-2123456")
    monkeypatch.setenv("PAYROLL_PERSON_KEY", "short")
    with pytest.raises(RrnError, match="32자 이상"):
        person_key.person_key("700501-2123456")


def test_an_impossible_birth_date_is_refused() -> None:
    day = date(1970, 2, 28) + timedelta(days=1)
    assert day.month == 3  # 1970-02-29 does not exist
    with pytest.raises(RrnError):
        person_key.person_key("700229-2123456", KEY)
