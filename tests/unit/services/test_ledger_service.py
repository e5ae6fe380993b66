"""The ledger use case on the fake unit of work: scope, refusal, 9:1 shares to the won."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from payroll.domain.ledger import PayslipFigures, RunKey
from payroll.domain.model import Term
from payroll.services.ledger.build import ScopeError, build_ledger, resolve_scope
from payroll.services.ledger.output import write_month_ledgers
from tests.support.fake_uow import FakeUnitOfWork

JONGNO = RunKey("2025-03", "11110", "dongheng")
JUNG = RunKey("2025-03", "11140", "dongheng")


def _slip(pid: int, run: RunKey, participant: str, wages: int, expense: int, employer: int):
    gross = wages + expense
    return PayslipFigures(
        payslip_id=pid,
        run=run,
        participant_id=participant,
        name=f"참여자{pid}",
        enrollment_id=pid,
        items={"wages": wages, "expense_allowance": expense, "employer_insurance": employer},
        deduction_lines=0,
        gross=gross,
        total_deductions=0,
        net=gross,
        employer_total=employer,
    )


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.ledger.runs = {JONGNO: "finalized", JUNG: "approved"}
    fake.ledger.payslips = [
        _slip(1, JONGNO, "P1", 1_234_567, 150_000, 120_003),
        _slip(2, JONGNO, "P2", 987_655, 0, 99_999),
        _slip(3, JUNG, "P3", 2_000_000, 150_000, 200_000),  # approved: never in a ledger
    ]
    return fake


def test_a_month_with_one_unfinalized_run_leaves_it_out_and_reports_it(uow) -> None:
    built = build_ledger(uow, resolve_scope(uow, month="2025-3"))
    assert {(line.district, line.cost_item) for line in built.lines} == {
        ("11110", item) for item in ("wages", "expense_allowance", "employer_insurance")
    }
    assert [(r.district, r.state) for r in built.unfinalized] == [("11140", "approved")]
    assert "확정 전" in built.warnings[0]
    assert built.district_names["11110"] == "종로구"


def test_the_scheduled_ledger_refuses_an_unfinalized_month_and_writes_nothing(
    uow, tmp_path: Path
) -> None:
    with pytest.raises(ScopeError, match="확정되지 않은 급여 실행 1건"):
        write_month_ledgers(uow, "2025-03", tmp_path)
    assert list(tmp_path.iterdir()) == []
    uow.ledger.runs[JUNG] = "finalized"
    written = write_month_ledgers(uow, "2025-03", tmp_path)
    assert sorted(p.name for p in written) == ["ledger-2025-03.csv", "ledger-2025-03.xlsx"]


def test_city_and_district_shares_are_nine_to_one_and_reconcile_to_the_won(uow) -> None:
    built = build_ledger(uow, resolve_scope(uow, month="2025-03", district="종로구"))
    wages = next(line for line in built.lines if line.cost_item == "wages")
    assert wages.amount == 1_234_567 + 987_655
    assert (wages.city_share, wages.district_share) == (
        1_999_999,
        222_223,
    )  # floor(×0.9)
    expense = next(line for line in built.lines if line.cost_item == "expense_allowance")
    assert (expense.participants, expense.city_share, expense.district_share) == (
        1,
        135_000,
        15_000,
    )
    for line in built.lines:
        assert line.city_share + line.district_share == line.amount
        parts = [d for d in built.details if d.cost_item == line.cost_item]
        assert sum(d.amount for d in parts) == line.amount
        assert sum(d.city_share for d in parts) == line.city_share
        assert sum(d.district_share for d in parts) == line.district_share
    total = sum(line.amount for line in built.lines)
    assert built.total.city + built.total.district == total


def test_a_term_resolves_to_its_programs_months_and_an_unknown_one_is_named(uow) -> None:
    uow.ledger.term_list = [Term("dongheng", "2025-H1", date(2025, 1, 1), date(2025, 6, 30))]
    scope = resolve_scope(uow, term="2025-H1")
    assert scope.months == tuple(f"2025-{m:02d}" for m in range(1, 7))
    assert scope.includes("2025-03", "dongheng", "11110")
    assert not scope.includes("2025-03", "maeryeok", "11110")
    with pytest.raises(ScopeError, match="없는 기간 '2025-H2'.*dongheng 2025-H1"):
        resolve_scope(uow, term="2025-H2")


def test_an_unknown_district_is_a_scope_error_with_the_lookup_message(uow) -> None:
    with pytest.raises(ScopeError, match="없는구"):
        resolve_scope(uow, month="2025-03", district="없는구")
    with pytest.raises(ScopeError, match="exactly one"):
        resolve_scope(uow, month="2025-03", term="2025-H1")
