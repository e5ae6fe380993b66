"""The ``payroll calc`` case file: parsing and the field-naming errors."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from payroll.domain.model import Status
from payroll.formats.calc_case import CaseError, parse_case
from tests.support.pay import RATES

BASE: dict[str, Any] = {
    "program": "dongheng",
    "birth_date": "1970-05-01",
    "start": "2025-01-10",
    "end": "2025-06-30",
}


def parse(**changes: Any) -> Any:
    data = {**BASE, **changes}
    return parse_case(json.dumps({k: v for k, v in data.items() if v is not ...}), RATES)


def test_the_documented_example() -> None:
    case = parse(
        dependents=1,
        daily_hours=6,
        weekdays=["mon", "tue", "wed", "thu", "fri"],
        attendance=[
            {"date": "2025-03-12", "status": "absent"},
            {"date": "2025-03-13", "status": "worked", "hours": 4},
            {"date": "2025-04-02", "status": "annual_leave"},
        ],
        months=["2025-03"],
    )
    e = case.enrollment
    assert (e.participant_id, e.program, e.start, e.end) == (
        "case",
        "dongheng",
        date(2025, 1, 10),
        date(2025, 6, 30),
    )
    assert e.daily_hours == Decimal(6) and e.weekdays == frozenset(range(5))
    assert [r.status for r in case.attendance] == [
        Status.ABSENT,
        Status.WORKED,
        Status.ANNUAL_LEAVE,
    ]
    assert case.attendance[1].hours == Decimal(4)
    assert case.months == ("2025-03",)


def test_defaults() -> None:
    case = parse()
    assert case.enrollment.dependents == 1
    assert case.enrollment.daily_hours is None and case.enrollment.weekdays is None
    assert case.attendance == ()
    assert case.months == ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06")


def test_fractional_hours_stay_exact() -> None:
    case = parse(attendance=[{"date": "2025-03-13", "status": "worked", "hours": 7.1}])
    assert case.attendance[0].hours == Decimal("7.1")


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"program": "nowhere"}, "program", "unknown program"),
        ({"program": ...}, "program", "required"),
        ({"start": "2025-02-30"}, "start", "not a valid"),
        ({"end": "2025-01-01"}, "end", "before start"),
        ({"birth_date": 19700501}, "birth_date", "expected a YYYY-MM-DD"),
        ({"dependents": 0}, "dependents", "≥ 1"),
        ({"daily_hours": "x"}, "daily_hours", "not a number"),
        ({"daily_hours": 25}, "daily_hours", "between 0 and 24"),
        ({"weekdays": ["mon", "funday"]}, "weekdays", "unknown weekday"),
        ({"weekdays": []}, "weekdays", "non-empty"),
        ({"months": ["2025-07"]}, "months[0]", "outside the enrollment"),
        ({"months": ["March"]}, "months[0]", "not a YYYY-MM"),
        ({"attendance": {}}, "attendance", "list"),
        (
            {"attendance": [{"date": "2025-07-01", "status": "absent"}]},
            "attendance[0].date",
            "outside",
        ),
        (
            {"attendance": [{"date": "2025-03-12", "status": "sick"}]},
            "attendance[0].status",
            "unknown status",
        ),
        ({"attendance": [{"status": "absent"}]}, "attendance[0].date", "required"),
        (
            {"attendance": [{"date": "2025-03-12", "status": "worked", "hours": "x"}]},
            "attendance[0].hours",
            "not a number",
        ),
        (
            {"attendance": [{"date": "2025-03-12", "status": "absent", "note": 1}]},
            "attendance[0].note",
            "unknown field",
        ),
        ({"salary": 1}, "salary", "unknown field"),
    ],
)
def test_refusals_name_the_field(changes: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(CaseError) as caught:
        parse(**changes)
    assert caught.value.field == field
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"{field}: ")


def test_malformed_json() -> None:
    with pytest.raises(CaseError, match=r"^case: malformed JSON .* line 1"):
        parse_case('{"program": ', RATES)
    with pytest.raises(CaseError, match="expected a JSON object"):
        parse_case("[1, 2]", RATES)
