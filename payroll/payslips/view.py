"""The payslip view model: everything one printed payslip shows, nothing else.

The run service builds a :class:`PayslipView` from a stored payslip; the renderer only
reads it. It is a plain, frozen record with a canonical JSON form (:meth:`to_dict`,
:func:`canonical_json`) so a rendered file can be fingerprinted and skipped when the data
did not change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from payroll.domain.labels import term_name
from payroll.domain.model import MonthFacts
from payroll.domain.retro import RETRO_CODES

SETTLEMENT_SUFFIX = "_settlement"


def employer_name(district_name: str) -> str:
    """The employer as printed: ``서울특별시 종로구청``."""
    return f"서울특별시 {district_name}청"


def month_label(month: str) -> str:
    """``"2025-03"`` -> ``2025년 3월``."""
    year, number = month.split("-")
    return f"{int(year)}년 {int(number)}월"


@dataclass(frozen=True)
class PayLine:
    """One earnings or deduction line: code, Korean label, won, and how it was reached."""

    code: str
    label: str
    amount: int
    explanation: str = ""

    @property
    def is_retro(self) -> bool:
        return self.code in RETRO_CODES

    @property
    def is_settlement(self) -> bool:
        """A final-month settlement line (퇴직정산·연말정산); negative is a refund."""
        return self.code.endswith(SETTLEMENT_SUFFIX)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "amount": self.amount,
            "explanation": self.explanation,
        }

    @classmethod
    def from_any(cls, item: PayLine | Mapping[str, Any] | Sequence[Any]) -> PayLine:
        """A line from a ``PayLine``, a dict, or a ``(code, label, amount, explanation)``."""
        if isinstance(item, PayLine):
            return item
        if isinstance(item, Mapping):
            return cls(
                code=str(item["code"]),
                label=str(item["label"]),
                amount=_int(item["amount"]),
                explanation=str(item.get("explanation", "") or ""),
            )
        code, label, amount, *rest = item
        return cls(str(code), str(label), _int(amount), str(rest[0]) if rest else "")


class WorkFacts(MonthFacts):
    """The engine's month facts (근로일수, 근로시간, 유급휴일 …) in and out of plain dicts."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheduled_days": self.scheduled_days,
            "worked_days": self.worked_days,
            "worked_hours": decimal_str(self.worked_hours),
            "paid_holidays": self.paid_holidays,
            "weekly_allowance_weeks": self.weekly_allowance_weeks,
            "absent_days": self.absent_days,
            "leave_days": self.leave_days,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> WorkFacts:
        return cls(
            scheduled_days=_int(d["scheduled_days"]),
            worked_days=_int(d["worked_days"]),
            worked_hours=Decimal(str(d["worked_hours"])),
            paid_holidays=_int(d["paid_holidays"]),
            weekly_allowance_weeks=_int(d["weekly_allowance_weeks"]),
            absent_days=_int(d["absent_days"]),
            leave_days=_int(d["leave_days"]),
        )


@dataclass(frozen=True)
class LeaveView:
    """Annual leave (연차) at the end of the month, in days."""

    accrued: int
    used: int
    balance: int

    def to_dict(self) -> dict[str, Any]:
        return {"accrued": self.accrued, "used": self.used, "balance": self.balance}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LeaveView:
        return cls(_int(d["accrued"]), _int(d["used"]), _int(d["balance"]))


class EmployerMonth:
    """``employer_name`` and ``month_label`` as printed, from ``district_name`` and ``month``.

    One source for the payslip (:class:`PayslipView`) and the print file's cover
    (:class:`payroll.payslips.print_file.CoverInfo`).
    """

    district_name: str  # "종로구"
    month: str  # "2025-03"

    @property
    def employer_name(self) -> str:
        return employer_name(self.district_name)

    @property
    def month_label(self) -> str:
        return month_label(self.month)


@dataclass(frozen=True)
class PayslipView(EmployerMonth):
    """One participant-month as printed on a payslip (근로기준법 §48②, 시행령 §27-2)."""

    participant_id: str
    name: str
    birth_date: date
    district_code: str
    district_name: str  # "종로구"
    program_code: str
    program_name: str  # "서울 동행일자리"
    term_code: str  # "2025-H1"
    term_start: date  # the participant's own enrollment S (참여기간)
    term_end: date  # ... and E (E' after an early end)
    month: str  # "2025-03"
    period_start: date
    period_end: date
    pay_date: date
    draft: bool
    hourly_rate: int
    earnings: tuple[PayLine, ...]
    deductions: tuple[PayLine, ...]
    gross: int
    total_deductions: int
    net: int
    facts: WorkFacts
    leave: LeaveView
    declared_monthly_pay: int | None = None  # 보수월액 D: the pension and health base
    notes: tuple[str, ...] = ()  # why a deduction is absent
    end_reason: str = ""  # early end (§14): "취업" …, with term_end the actual end

    def __post_init__(self) -> None:
        # Accept lists / tuples / dicts for the lines and store immutable PayLines.
        object.__setattr__(self, "earnings", tuple(PayLine.from_any(x) for x in self.earnings))
        object.__setattr__(self, "deductions", tuple(PayLine.from_any(x) for x in self.deductions))
        object.__setattr__(self, "notes", tuple(str(n) for n in self.notes))

    # -- derived, for the template -------------------------------------------------------

    @property
    def term_name(self) -> str:
        """``2025년 상반기`` for the term code ``2025-H1``."""
        return term_name(self.term_code)

    @property
    def retro_lines(self) -> tuple[PayLine, ...]:
        return tuple(line for line in self.earnings if line.is_retro)

    @property
    def has_settlement(self) -> bool:
        return any(line.is_settlement for line in self.deductions)

    # -- canonical dict form -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: dates ISO, Decimals as strings, lines as dicts."""
        return {
            "participant_id": self.participant_id,
            "name": self.name,
            "birth_date": self.birth_date.isoformat(),
            "district_code": self.district_code,
            "district_name": self.district_name,
            "program_code": self.program_code,
            "program_name": self.program_name,
            "term_code": self.term_code,
            "term_start": self.term_start.isoformat(),
            "term_end": self.term_end.isoformat(),
            "month": self.month,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "pay_date": self.pay_date.isoformat(),
            "draft": self.draft,
            "hourly_rate": self.hourly_rate,
            "earnings": [line.to_dict() for line in self.earnings],
            "deductions": [line.to_dict() for line in self.deductions],
            "gross": self.gross,
            "total_deductions": self.total_deductions,
            "net": self.net,
            "facts": self.facts.to_dict(),
            "leave": self.leave.to_dict(),
            "declared_monthly_pay": self.declared_monthly_pay,
            "notes": list(self.notes),
            **({"end_reason": self.end_reason} if self.end_reason else {}),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PayslipView:
        """Inverse of :meth:`to_dict`; dates may be ``date`` objects or ISO strings."""
        facts = d["facts"]
        leave = d["leave"]
        return cls(
            participant_id=str(d["participant_id"]),
            name=str(d["name"]),
            birth_date=_date(d["birth_date"]),
            district_code=str(d["district_code"]),
            district_name=str(d["district_name"]),
            program_code=str(d["program_code"]),
            program_name=str(d["program_name"]),
            term_code=str(d["term_code"]),
            term_start=_date(d["term_start"]),
            term_end=_date(d["term_end"]),
            month=str(d["month"]),
            period_start=_date(d["period_start"]),
            period_end=_date(d["period_end"]),
            pay_date=_date(d["pay_date"]),
            draft=bool(d["draft"]),
            hourly_rate=_int(d["hourly_rate"]),
            earnings=tuple(PayLine.from_any(x) for x in d["earnings"]),
            deductions=tuple(PayLine.from_any(x) for x in d["deductions"]),
            gross=_int(d["gross"]),
            total_deductions=_int(d["total_deductions"]),
            net=_int(d["net"]),
            facts=facts if isinstance(facts, WorkFacts) else WorkFacts.from_dict(facts),
            leave=leave if isinstance(leave, LeaveView) else LeaveView.from_dict(leave),
            declared_monthly_pay=(
                None if d.get("declared_monthly_pay") is None else _int(d["declared_monthly_pay"])
            ),
            notes=tuple(d.get("notes") or ()),
            end_reason=str(d.get("end_reason") or ""),
        )


def canonical_json(view: PayslipView) -> str:
    """The view's canonical JSON text (sorted keys, no spaces): the basis of fingerprints."""
    return json.dumps(view.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sample_view(**changes: Any) -> PayslipView:
    """The March 2025 example payslip (김민지, 종로구, 서울 동행일자리), for tests and benchmarks.

    Keyword arguments replace fields of the canonical dict (e.g. ``draft=True``,
    ``participant_id="P-0002"``, ``name="이서준"``).
    """
    earnings = [
        ("base_pay", "기본급", 1_203_600, "20일 × 6시간 × 10,030원"),
        ("holiday_pay", "유급휴일수당", 60_180, "1일 × 6시간 × 10,030원 (3/3 대체공휴일)"),
        ("weekly_allowance", "주휴수당", 300_900, "5주 × 6시간 × 10,030원"),
        ("expense_allowance", "식비(간식비)", 120_000, "20일 × 6,000원"),
    ]
    deductions = [
        ("national_pension", "국민연금", 70_380, "기준소득월액 1,564,000원 × 4.5%"),
        ("health_insurance", "건강보험", 55_460, "보수월액 1,564,680원 × 3.545%"),
        ("long_term_care", "장기요양보험", 7_180, "건강보험료 55,460원 × 12.95%"),
        ("employment_insurance", "고용보험", 14_080, "1,564,680원 × 0.9%"),
        ("income_tax", "소득세", 10_160, "근로소득 간이세액표 (공제대상가족 1명)"),
        ("local_income_tax", "지방소득세", 1_010, "소득세 10,160원 × 10%"),
    ]
    gross = sum(amount for _, _, amount, _ in earnings)
    total_deductions = sum(amount for _, _, amount, _ in deductions)
    d: dict[str, Any] = {
        "participant_id": "P-0001",
        "name": "김민지",
        "birth_date": date(1970, 5, 1),
        "district_code": "11110",
        "district_name": "종로구",
        "program_code": "dongheng",
        "program_name": "서울 동행일자리",
        "term_code": "2025-H1",
        "term_start": date(2025, 1, 10),
        "term_end": date(2025, 6, 30),
        "month": "2025-03",
        "period_start": date(2025, 3, 1),
        "period_end": date(2025, 3, 31),
        "pay_date": date(2025, 4, 10),
        "draft": False,
        "hourly_rate": 10_030,
        "earnings": earnings,
        "deductions": deductions,
        "gross": gross,
        "total_deductions": total_deductions,
        "net": gross - total_deductions,
        "facts": {
            "scheduled_days": 20,
            "worked_days": 20,
            "worked_hours": Decimal("120"),
            "paid_holidays": 1,
            "weekly_allowance_weeks": 5,
            "absent_days": 0,
            "leave_days": 0,
        },
        "leave": {"accrued": 2, "used": 0, "balance": 2},
        "declared_monthly_pay": 1_564_680,
        "notes": [],
    }
    d.update(changes)
    return PayslipView.from_dict(d)


# -- helpers --------------------------------------------------------------------------------


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    raise TypeError(f"not a whole number: {value!r}")


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def decimal_str(value: Decimal) -> str:
    """``Decimal('120.0')`` → ``'120'``; ``Decimal('7.50')`` → ``'7.5'`` (canonical)."""
    return format(value.normalize(), "f")
