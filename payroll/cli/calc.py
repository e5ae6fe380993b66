"""``payroll calc``: compute payslips for a case file, no database needed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.text import Text

from payroll.cli.common import Table, console, fail
from payroll.domain.calendar import HolidayCalendar
from payroll.domain.declared_pay import declared_monthly_pay
from payroll.domain.engine import PayContext, calculate_enrollment
from payroll.domain.labels import label
from payroll.domain.model import AttendanceError, PayrollError, Payslip
from payroll.domain.money import number
from payroll.domain.settlement import Settlement
from payroll.formats.calc_case import Case, CaseError, parse_case
from payroll.reference.catalog import shipped_catalog
from payroll.reference.withholding_data import shipped_withholding_table

INVALID_INPUT = 2


def calc(
    case: str = typer.Argument(
        ...,
        help="Case file (JSON: program, birth_date, start, end, attendance …); '-' reads stdin.",
    ),
    json_output: bool = typer.Option(
        False, "--json", help='Print {"months": [payslip, …]} as JSON instead of tables.'
    ),
) -> None:
    """Compute the payslips of one enrollment from a case file, with the arithmetic of each line.

    Uses the shipped catalog, the Korean public holidays and the shipped withholding table.
    """
    text = _read(case)
    rates = shipped_catalog().rate_book
    try:
        parsed = parse_case(text, rates)
        payslips = calculate_enrollment(
            PayContext(
                parsed.enrollment,
                parsed.attendance,
                None,
                rates,
                HolidayCalendar(),
                shipped_withholding_table(),
            ),
            months=parsed.months,
            year_to_date=parsed.year_to_date,
        )
    except CaseError as exc:
        fail(str(exc), INVALID_INPUT)
    except AttendanceError as exc:
        fail(f"{_record_field(parsed, exc)}: {exc.reason}", INVALID_INPUT)
    except PayrollError as exc:
        fail(str(exc))
    if json_output:
        output = {
            "months": [p.to_json() for p in payslips],
            "declared_monthly_pay": declared_monthly_pay(parsed.enrollment, rates),
        }
        typer.echo(json.dumps(output, ensure_ascii=False, indent=2))
        return
    for payslip in payslips:
        _print(payslip)


def _read(case: str) -> str:
    if case == "-":
        return sys.stdin.read()
    try:
        return Path(case).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        fail(f"case: cannot read {case} ({reason})", INVALID_INPUT)


def _record_field(case: Case, error: AttendanceError) -> str:
    """``attendance[i].date`` of the record the error is about."""
    for index, record in enumerate(case.attendance):
        if record.day == error.day:
            return f"attendance[{index}] {error.day.isoformat()}"
    return f"attendance {error.day.isoformat()}"


def _print(payslip: Payslip) -> None:
    table = Table(
        "항목",
        "금액",
        "계산",
        title=f"{payslip.participant_id} · {payslip.program} · {payslip.month}",
        title_justify="left",
    )
    table.columns[1].justify = "right"
    for line in payslip.earnings:
        table.add_row(f"{label(line.code)} ({line.code})", number(line.amount), line.explanation)
    table.add_section()
    table.add_row(Text("지급 합계 (gross)", "bold"), Text(number(payslip.gross), "bold"), "")
    for line in payslip.deductions:
        table.add_row(f"{label(line.code)} ({line.code})", number(line.amount), line.explanation)
    table.add_section()
    table.add_row(
        Text("공제 합계 (deductions)", "bold"), Text(number(payslip.total_deductions), "bold"), ""
    )
    table.add_row(Text("실지급액 (net)", "bold"), Text(number(payslip.net), "bold"), "")
    console.print(table)
    leave = payslip.leave
    console.print(
        f"연차 (annual leave): 발생 {leave.accrued}일, 사용 {leave.used}일, "
        f"잔여 {leave.balance}일 · 시급 {number(payslip.hourly_rate)}원 · "
        f"보수월액 {number(payslip.declared_monthly_pay)}원 (국민연금·건강보험 기준)",
        highlight=False,
    )
    for note in payslip.notes:
        console.print(f"※ {note}", highlight=False, markup=False)
    if isinstance(payslip.settlement, Settlement):
        _print_settlement(payslip.settlement)
    console.print()


def _print_settlement(settlement: Settlement) -> None:
    """§13 step by step: why the final month refunds (or collects)."""
    table = Table("단계", "계산", title="퇴직 정산 (final-month settlement)", title_justify="left")
    for year in settlement.health:
        table.add_row(
            f"건강보험 {year.year}",
            f"{year.months}개월 보수 합계 {number(year.total)}원 ÷ {year.months} = 평균 "
            f"{number(year.average)}원 → 월 {number(year.monthly_health)}원 × {year.months} = "
            f"{number(year.settled_health)}원 - 기납부 {number(year.charged_health)}원 = "
            f"{number(year.health_difference)}원",
        )
        table.add_row(
            f"장기요양 {year.year}",
            f"월 {number(year.monthly_care)}원 × {year.months} = {number(year.settled_care)}원 - "
            f"기납부 {number(year.charged_care)}원 = {number(year.care_difference)}원",
        )
    for step, text in settlement.income_tax.steps():
        table.add_row(step, text)
    console.print(table)
