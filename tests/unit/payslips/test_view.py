from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from payroll.payslips.view import PayLine, PayslipView, canonical_json, sample_view


def test_sample_totals():
    v = sample_view()
    assert v.gross == 1_684_680 == sum(line.amount for line in v.earnings)
    assert v.total_deductions == 158_270 == sum(line.amount for line in v.deductions)
    assert v.net == 1_526_410
    assert v.employer_name == "서울특별시 종로구청"
    assert v.month_label == "2025년 3월"


def test_round_trip_through_json():
    v = sample_view(draft=True)
    again = PayslipView.from_dict(json.loads(json.dumps(v.to_dict())))
    assert again == v
    assert canonical_json(again) == canonical_json(v)
    assert again.facts.worked_hours == Decimal("120")


def test_lines_accept_tuples_and_dicts():
    v = sample_view(
        earnings=[
            {"code": "base_pay", "label": "기본급", "amount": 1000, "explanation": "x"},
            ("retro_adjustment", "소급 정산", -500, "2025-02 근로시간 정정"),
        ]
    )
    assert v.earnings == (
        PayLine("base_pay", "기본급", 1000, "x"),
        PayLine("retro_adjustment", "소급 정산", -500, "2025-02 근로시간 정정"),
    )
    assert [line.code for line in v.retro_lines] == ["retro_adjustment"]


def test_canonical_json_ignores_decimal_spelling():
    a = sample_view()
    facts = a.to_dict()["facts"] | {"worked_hours": "120.00"}
    b = sample_view(facts=facts)
    assert canonical_json(a) == canonical_json(b)


def test_view_is_frozen():
    with pytest.raises(AttributeError):
        sample_view().name = "x"  # type: ignore[misc]


def test_birth_date_from_iso_string():
    assert sample_view(birth_date="1970-05-01").birth_date == date(1970, 5, 1)
