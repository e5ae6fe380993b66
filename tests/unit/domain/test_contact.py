"""Contacts and 수령방법 as a roster gives them, and the e-mailed payslip's password."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payroll.domain.contact import (
    Delivery,
    delivery_problem,
    format_phone,
    mask_phone,
    parse_delivery,
    parse_email,
    parse_mobile,
)
from payroll.domain.payslip_password import email_password


@pytest.mark.parametrize(
    ("cell", "digits"),
    [
        ("010-1234-5678", "01012345678"),
        ("01012345678", "01012345678"),
        ("010 1234 5678", "01012345678"),
        ("+82 10-1234-5678", "01012345678"),
        ("011-234-5678", "0112345678"),
    ],
)
def test_mobile_numbers_as_clerks_type_them(cell: str, digits: str) -> None:
    assert parse_mobile(cell) == digits


@pytest.mark.parametrize("cell", ["02-123-4567", "010-1234", "1234-5678", "010-1234-56789", "전화"])
def test_numbers_that_are_not_mobiles_are_refused_in_korean(cell: str) -> None:
    with pytest.raises(ValueError, match="휴대전화 번호가 아닙니다"):
        parse_mobile(cell)


@given(st.sampled_from("016789"), st.integers(0, 9999), st.integers(0, 9999))
def test_a_parsed_mobile_prints_back_as_the_same_number(third: str, mid: int, last: int) -> None:
    typed = f"01{third}-{mid:04d}-{last:04d}"
    digits = parse_mobile(typed)
    assert format_phone(digits) == typed
    assert mask_phone(digits) == f"01{third}-****-{last:04d}"
    assert parse_mobile(format_phone(digits)) == digits


@pytest.mark.parametrize("cell", ["hong", "hong@", "@example.kr", "hong@example", "a b@x.kr"])
def test_addresses_without_user_at_and_domain_are_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="전자우편 주소가 아닙니다"):
        parse_email(cell)


def test_an_address_is_kept_as_typed_without_spaces_around() -> None:
    assert parse_email(" Hong.Gil-dong+pay@seoul.go.kr ") == "Hong.Gil-dong+pay@seoul.go.kr"


@pytest.mark.parametrize(
    ("cell", "method"),
    [("종이", Delivery.PAPER), ("이메일", Delivery.EMAIL), ("알림톡", Delivery.ALIMTALK),
     (" 이 메일 ", Delivery.EMAIL), ("Email", Delivery.EMAIL), ("paper", Delivery.PAPER)],
)  # fmt: skip
def test_delivery_methods(cell: str, method: Delivery) -> None:
    assert parse_delivery(cell) == method


def test_an_unknown_method_names_the_three_choices() -> None:
    with pytest.raises(ValueError, match="종이, 이메일, 알림톡"):
        parse_delivery("우편")


def test_a_method_needs_the_contact_it_uses() -> None:
    assert delivery_problem(Delivery.EMAIL, "01012345678", None) is not None
    assert delivery_problem(Delivery.ALIMTALK, None, "a@b.kr") is not None
    assert delivery_problem(Delivery.PAPER, None, None) is None
    assert delivery_problem(Delivery.EMAIL, None, "a@b.kr") is None


def test_the_payslip_password_is_birth_date_and_the_phones_last_four_digits() -> None:
    # docs/security.md: YYMMDD of 1970-05-01 is 700501; 010-2345-6789 ends 6789.
    assert email_password(date(1970, 5, 1), "01023456789") == "7005016789"
    # 2003-01-09, 011-234-0007: 030109 + 0007 (leading zeros kept)
    assert email_password(date(2003, 1, 9), "0112340007") == "0301090007"
    assert email_password(date(1970, 5, 1), None) is None


def test_six_digit_birth_dates_as_on_a_resident_card() -> None:
    from payroll.domain.portal import six_digit_birth

    today = date(2026, 12, 6)
    assert six_digit_birth("700501", today) == date(1970, 5, 1)
    assert six_digit_birth("050301", today) == date(2005, 3, 1)  # 21 years old in 2026
    assert six_digit_birth("150301", today) == date(1915, 3, 1)  # not an 11-year-old
    assert six_digit_birth("701301", today) is None
    assert six_digit_birth("1970-05-01", today) is None
