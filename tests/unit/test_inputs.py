"""The one month parser, date parser and district/program matcher every command uses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from payroll.domain.severance import Service, chains, estimate, reviewable, wage_months
from payroll.formats.inputs import (
    InputError,
    match_district,
    match_program,
    parse_date,
    parse_month,
)

DISTRICTS = {"11110": "종로구", "11140": "중구", "11680": "강남구"}
PROGRAMS = {"dongheng": "서울 동행일자리", "maeryeok": "서울 매력일자리"}


@pytest.mark.parametrize(
    "text",
    ["2025-03", "2025-3", "2025.03", "2025.3", "2025/03", "2025년 3월", "2025년3월", "202503"],
)
def test_every_month_form_is_the_same_month(text: str) -> None:
    assert parse_month(text) == "2025-03"


@pytest.mark.parametrize(
    ("text", "reason"),
    [("2025-13", "13월은 없습니다"), ("2025-00", "0월은 없습니다"), ("March", "알 수 없습니다"),
     ("25-03", "알 수 없습니다"), ("", "알 수 없습니다")],
)  # fmt: skip
def test_a_bad_month_is_one_korean_reason(text: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        parse_month(text)


@pytest.mark.parametrize(
    "text",
    ["2025-03-05", "2025.3.5", "2025/03/05", "2025. 3. 5.", "2025.03.05.", "2025년 3월 5일",
     "20250305", "45721", "2025-03-05T00:00:00"],
)  # fmt: skip
def test_every_date_form_is_the_same_day(text: str) -> None:
    assert parse_date(text) == date(2025, 3, 5)


@pytest.mark.parametrize(("text", "reason"), [("2025-02-30", "없는 날짜"), ("3월 5일", "알 수 없")])
def test_a_bad_date_is_one_korean_reason(text: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [("11110", "11110"), ("종로구", "11110"), ("종로", "11110"), ("서울 종로구", "11110"),
     ("서울특별시 종로구", "11110"), (" 종 로 구 ", "11110"), ("중구", "11140"),
     ("강남", "11680")],
)  # fmt: skip
def test_districts_by_code_or_name(text: str, code: str) -> None:
    assert match_district(DISTRICTS, text) == code


def test_an_unknown_district_or_program_is_refused() -> None:
    with pytest.raises(InputError, match="자치구 '중'"):
        match_district(DISTRICTS, "중")  # 중구 keeps its 구
    with pytest.raises(InputError, match="사업 '청년'"):
        match_program(PROGRAMS, "청년")


@pytest.mark.parametrize(
    "text", ["dongheng", "DongHeng", "서울 동행일자리", "서울동행일자리", "동행일자리", "동행"]
)
def test_programs_by_code_or_name(text: str) -> None:
    assert match_program(PROGRAMS, text) == "dongheng"


def _service(start: date, end: date, hours: str = "30") -> Service:
    return Service("동행", start, end, Decimal(hours))


def test_a_chain_continues_across_a_gap_of_31_days_not_32() -> None:
    first = _service(date(2024, 1, 1), date(2024, 6, 30))
    # 31 days after 30 June is 31 July: continuous; 1 August is not.
    assert len(chains([first, _service(date(2024, 7, 31), date(2024, 12, 31))])) == 1
    assert len(chains([first, _service(date(2024, 8, 1), date(2024, 12, 31))])) == 2
    # Under 15 hours a week does not count (§15).
    assert chains([_service(date(2024, 1, 1), date(2024, 12, 31), "14")]) == []


def test_the_estimate_uses_the_last_three_months_and_rounds_down() -> None:
    # 2025-01-01 .. 2025-12-31: 365 days, listed; wages of Oct–Dec 2,461,811 each over 92
    # days: 7,385,433 / 92 × 30 × 365 / 365 = 2,408,293.36… → 2,408,293 (§15).
    [chain] = reviewable([_service(date(2025, 1, 1), date(2025, 12, 31))])
    assert wage_months(chain.end) == ("2025-10", "2025-11", "2025-12")
    found = estimate(chain, {m: 2_461_811 for m in ("2025-10", "2025-11", "2025-12")})
    assert found is not None and found.severance == 2_408_293 and found.month_days == 92
    assert wage_months(date(2025, 12, 20)) == ("2025-09", "2025-10", "2025-11")
    assert reviewable([_service(date(2025, 1, 2), date(2025, 12, 31))]) == []  # 364 days
