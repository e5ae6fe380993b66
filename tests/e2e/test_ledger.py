"""Ledgers and reconciliation over stored finalized runs (how-pay-is-calculated.md §10).

The payroll-run service is another module; these tests store runs, payslips and payslip
lines directly, consistent the way a run stores them (gross = Σ earning lines, net =
gross − deductions, employer total = Σ employer lines, run totals = Σ payslips).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import openpyxl
import pytest
import typer
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from payroll.cli.ledger import ledger, reconcile
from payroll.db.engine import transaction
from payroll.db.models import (
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
    ProgramYearRow,
)
from payroll.db.stores.payslips import SqlPayslipStore
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.ledger import Scope
from payroll.services.ledger.build import build_ledger
from payroll.services.ledger.reconcile import ALL, reconcile_month
from tests.support.ledger_csv import ledger_rows

app = typer.Typer()
app.command("ledger")(ledger)
app.command("reconcile")(reconcile)
runner = CliRunner()

JONGNO, JUNG, YONGSAN = "11110", "11140", "11170"
CSV_HEADER = "월,자치구코드,자치구,사업코드,사업,비용항목코드,비용항목,인원,금액,시 부담,구 부담"
NOW = datetime(2025, 4, 1, tzinfo=UTC)


def floor10(value: Decimal) -> int:
    return int(value / 10) * 10


@dataclass
class Slip:
    """One participant-month, computed the way the engine does (2025 rates)."""

    participant: str
    days: int  # days worked
    program: str = "dongheng"
    tamper_line: int = 0  # won taken off the base-pay line after the totals were computed
    earnings: dict[str, int] = field(init=False)
    deductions: dict[str, int] = field(init=False)
    employer: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        if self.program == "dongheng":
            base = self.days * 6 * 10_030
            weekly = (self.days // 5) * 6 * 10_030
            self.earnings = {
                "base_pay": base,
                "weekly_allowance": weekly,
                "expense_allowance": self.days * 6_000,
            }
        else:
            self.earnings = {"base_salary": 2_461_811 - (21 - self.days) * 8 * 11_779}
        insurable = Decimal(self.taxable)
        health = floor10(insurable * Decimal("0.03545"))
        care = floor10(health * Decimal("0.1295"))
        pension = floor10(insurable * Decimal("0.045"))
        tax = floor10(insurable * Decimal("0.01"))
        self.deductions = {
            "national_pension": pension,
            "health_insurance": health,
            "long_term_care": care,
            "employment_insurance": floor10(insurable * Decimal("0.009")),
            "income_tax": tax,
            "local_income_tax": floor10(Decimal(tax) / 10),
        }
        self.employer = {
            "national_pension": pension,
            "health_insurance": health,
            "long_term_care": care,
            "employment_insurance": floor10(insurable * Decimal("0.0175")),
            "industrial_accident": floor10(insurable * Decimal("0.0096")),
        }

    @property
    def taxable(self) -> int:
        return sum(v for k, v in self.earnings.items() if k != "expense_allowance")

    @property
    def gross(self) -> int:
        return sum(self.earnings.values())

    @property
    def total_deductions(self) -> int:
        return sum(self.deductions.values())

    @property
    def employer_total(self) -> int:
        return sum(self.employer.values())

    @property
    def net(self) -> int:
        return self.gross - self.total_deductions


class Seeder:
    """Stores participants, enrollments, runs, payslips and lines like the run service."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.enrollments: dict[tuple[str, str], int] = {}

    def run(
        self, month: str, district: str, program: str, slips: list[Slip], state: str = "finalized"
    ) -> list[Slip]:
        with transaction(self.engine) as session:
            run = PayrollRun(
                month=month,
                district_code=district,
                program_code=program,
                state="calculated",
                calculated_at=NOW,
            )
            session.add(run)
            session.flush()
            for slip in slips:
                enrollment = self._enrollment(session, slip.participant, district, program)
                payslip = PayslipRow(
                    run_id=run.id,
                    enrollment_id=enrollment,
                    month=month,
                    gross=slip.gross,
                    insurable=slip.taxable,
                    taxable=slip.taxable,
                    non_taxable=slip.gross - slip.taxable,
                    total_deductions=slip.total_deductions,
                    net=slip.net,
                    employer_total=slip.employer_total,
                    hourly_rate=10_030 if program == "dongheng" else 11_779,
                    leave_accrued=0,
                    leave_used=0,
                    leave_balance=0,
                    facts={},
                )
                session.add(payslip)
                session.flush()
                lines = [("earning", k, v) for k, v in slip.earnings.items()]
                lines += [("deduction", k, v) for k, v in slip.deductions.items()]
                lines += [("employer", k, v) for k, v in slip.employer.items()]
                for position, (kind, code, amount) in enumerate(lines):
                    if kind == "earning" and code in ("base_pay", "base_salary"):
                        amount -= slip.tamper_line
                    session.add(
                        PayslipLineRow(
                            payslip_id=payslip.id,
                            kind=kind,
                            code=code,
                            amount=amount,
                            explanation="",
                            position=position,
                        )
                    )
            session.flush()
            run.participant_count = len(slips)
            run.gross = sum(s.gross for s in slips)
            run.total_deductions = sum(s.total_deductions for s in slips)
            run.net = sum(s.net for s in slips)
            run.employer_total = sum(s.employer_total for s in slips)
            run.state = "approved" if state == "finalized" else state
            if state == "finalized":  # as finalize_run does: payee snapshot, then the state
                session.flush()
                SqlPayslipStore(session).take_snapshot(run.id)
                run.state = state
                run.finalized_by, run.finalized_at = "tester", NOW
        return slips

    def _enrollment(self, session: Session, participant: str, district: str, program: str) -> int:
        key = (participant, program)
        if key not in self.enrollments:
            pk = session.scalar(
                select(Participant.id).where(Participant.participant_id == participant)
            )
            if pk is None:
                person = Participant(
                    participant_id=participant,
                    name=f"참여자{participant[-3:]}",
                    birth_date=date(1968, 5, 1),
                    district_code=district,
                    created_at=NOW,
                )
                session.add(person)
                session.flush()
                pk = person.id
            enrollment = EnrollmentRow(
                participant_pk=pk,
                program_code=program,
                start=date(2024, 1, 1),
                end=date(2026, 12, 31),
                created_at=NOW,
            )
            session.add(enrollment)
            session.flush()
            self.enrollments[key] = enrollment.id
        return self.enrollments[key]


@pytest.fixture
def seed(engine: Engine) -> Seeder:
    return Seeder(engine)


def seed_march(seed: Seeder) -> list[Slip]:
    """2025-03: three districts, both programs, payslips of different sizes."""
    slips = []
    slips += seed.run(
        "2025-03", JONGNO, "dongheng", [Slip("J-001", 21), Slip("J-002", 17), Slip("J-003", 19)]
    )
    slips += seed.run(
        "2025-03",
        JONGNO,
        "maeryeok",
        [Slip("J-101", 21, "maeryeok"), Slip("J-102", 20, "maeryeok")],
    )
    slips += seed.run("2025-03", JUNG, "dongheng", [Slip("U-001", 13), Slip("U-002", 21)])
    slips += seed.run("2025-03", YONGSAN, "maeryeok", [Slip("Y-101", 18, "maeryeok")])
    return slips


def labour_cost(slips: list[Slip]) -> int:
    return sum(s.gross + s.employer_total for s in slips)


def read_csv(path: Path) -> list[dict[str, str]]:
    return ledger_rows(path.read_text("utf-8"))


# --- reconciliation ----------------------------------------------------------------------


def test_a_month_of_several_districts_and_programs_reconciles(engine: Engine, seed: Seeder) -> None:
    slips = seed_march(seed)
    report = reconcile_month(SqlUnitOfWork(engine), "2025-03")
    assert report.ok, [d.message for d in report.differences]
    assert [(r.district, r.program) for r in report.rows] == [
        (JONGNO, "dongheng"),
        (JONGNO, "maeryeok"),
        (JUNG, "dongheng"),
        (YONGSAN, "maeryeok"),
        (ALL, ALL),
    ]
    overall = report.overall
    assert overall.ledger_total == overall.payslip_total == labour_cost(slips)
    assert overall.ledger_gross == sum(s.gross for s in slips)
    assert overall.net == sum(s.net for s in slips) == overall.gross_less_deductions
    assert overall.payslips == len(slips)


def test_a_payslip_whose_lines_disagree_with_its_gross_is_named(
    engine: Engine, seed: Seeder, cli_env: str
) -> None:
    seed_march(seed)
    seed.run("2025-03", JUNG, "maeryeok", [Slip("U-101", 21, "maeryeok", tamper_line=10)])
    report = reconcile_month(SqlUnitOfWork(engine), "2025-03")
    assert not report.ok
    where = {(d.district, d.program, d.item, d.participant, d.won) for d in report.differences}
    assert (JUNG, "maeryeok", "원장 임금+식비 vs 명세서 총지급액", None, -10) in where
    assert (JUNG, "maeryeok", "지급 항목 합 vs 명세서 총지급액", "U-101", -10) in where
    assert (
        ALL,
        ALL,
        "원장 합계(인건비) vs 명세서 총지급액 + 사업주 부담",
        None,
        -10,
    ) in where
    assert all(d.district in (JUNG, ALL) for d in report.differences)

    result = runner.invoke(app, ["reconcile", "--month", "2025-03"])
    assert result.exit_code == 1
    assert "자치구 11140, 사업 maeryeok" in result.stderr
    assert "참여자 U-101" in result.stderr
    assert "-10원" in result.stderr


def test_reconcile_command_prints_the_table_and_exits_0(seed: Seeder, cli_env: str) -> None:
    slips = seed_march(seed)
    result = runner.invoke(app, ["reconcile", "--month", "2025-03"])
    assert result.exit_code == 0, result.output
    assert "2025-03 대사 일치" in result.stdout
    assert f"{labour_cost(slips):,}" in result.stdout


def test_reconcile_refuses_a_malformed_month(cli_env: str) -> None:
    result = runner.invoke(app, ["reconcile", "--month", "2025-13"])
    assert result.exit_code == 2
    assert "2025-13" in result.stderr


# --- ledger files ------------------------------------------------------------------------


def test_csv_has_exactly_the_ledger_columns_and_one_row_per_line(
    seed: Seeder, cli_env: str, tmp_path: Path
) -> None:
    slips = seed_march(seed)
    out = tmp_path / "march.csv"
    result = runner.invoke(
        app, ["ledger", "--month", "2025-03", "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8").splitlines()[0] == CSV_HEADER
    rows = read_csv(out)
    assert len(rows) == 4 * 3  # four runs × three cost items, nothing else
    assert {r["district"] for r in rows} == {JONGNO, JUNG, YONGSAN}
    assert sum(int(r["amount"]) for r in rows) == labour_cost(slips)
    for r in rows:
        assert int(r["city_share"]) + int(r["district_share"]) == int(r["amount"])
        assert int(r["city_share"]) == int(
            (Decimal(r["amount"]) * Decimal("0.9")).to_integral_value(ROUND_FLOOR)
        )
    jongno_dongheng = {
        r["cost_item"]: r for r in rows if (r["district"], r["program"]) == (JONGNO, "dongheng")
    }
    assert jongno_dongheng["expense_allowance"]["amount"] == str((21 + 17 + 19) * 6_000)
    assert jongno_dongheng["wages"]["participants"] == "3"
    maeryeok = [r for r in rows if r["program"] == "maeryeok"]
    assert {r["amount"] for r in maeryeok if r["cost_item"] == "expense_allowance"} == {"0"}
    assert {r["participants"] for r in maeryeok if r["cost_item"] == "expense_allowance"} == {"0"}


def test_xlsx_has_numbers_subtotals_and_the_csv_grand_total(
    seed: Seeder, cli_env: str, tmp_path: Path
) -> None:
    seed_march(seed)
    csv_out, xlsx_out = tmp_path / "m.csv", tmp_path / "m.xlsx"
    for fmt, out in (("csv", csv_out), ("xlsx", xlsx_out)):
        result = runner.invoke(
            app, ["ledger", "--month", "2025-03", "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
    rows = read_csv(csv_out)
    book = openpyxl.load_workbook(xlsx_out)
    summary, detail = book["요약"], book["참여자별"]
    assert [c.value for c in summary[1]] == [
        "월",
        "자치구",
        "사업",
        "비용항목",
        "인원",
        "금액",
        "시 부담",
        "구 부담",
    ]
    assert summary.freeze_panes == "A2" and detail.freeze_panes == "A2"
    assert summary.column_dimensions["F"].width >= 12
    body = list(summary.iter_rows(min_row=2))
    lines = [r for r in body if r[0].value == "2025-03"]
    assert len(lines) == len(rows)
    for row in lines:
        for cell in row[4:]:
            assert isinstance(cell.value, int) and cell.number_format == "#,##0"
    grand = body[-1]
    assert grand[0].value == "합계"
    assert grand[5].value == sum(int(r["amount"]) for r in rows)
    assert grand[6].value == sum(int(r["city_share"]) for r in rows)
    assert grand[7].value == sum(int(r["district_share"]) for r in rows)
    subtotals = [r for r in body if r[0].value == "소계"]
    assert len(subtotals) == 4  # one per district and program
    assert sum(r[5].value for r in subtotals) == grand[5].value
    jongno = [r for r in body if r[0].value == "자치구 소계"]
    assert [r[1].value for r in jongno] == ["종로구"]
    # The detail sheet: every participant's allocated part, adding up to the ledger.
    details = list(detail.iter_rows(min_row=2, values_only=True))
    assert sum(r[6] for r in details) == grand[5].value
    assert sum(r[7] for r in details) == grand[6].value
    assert sum(r[8] for r in details) == grand[7].value
    assert all(r[7] + r[8] == r[6] for r in details)


def test_detail_shares_add_up_to_every_ledger_line(engine: Engine, seed: Seeder) -> None:
    seed_march(seed)
    built = build_ledger(SqlUnitOfWork(engine), Scope("2025-03", ("2025-03",)))
    for line in built.lines:
        parts = [
            d
            for d in built.details
            if (d.month, d.district, d.program, d.cost_item)
            == (line.month, line.district, line.program, line.cost_item)
        ]
        assert len(parts) == line.participants
        assert sum(d.amount for d in parts) == line.amount
        assert sum(d.city_share for d in parts) == line.city_share
        assert sum(d.district_share for d in parts) == line.district_share


def test_a_ratio_change_between_two_years_is_data_only(
    engine: Engine, seed: Seeder, cli_env: str, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        session.execute(
            update(ProgramYearRow)
            .where(ProgramYearRow.program_code == "dongheng", ProgramYearRow.year == 2026)
            .values(city_ratio=Decimal("0.8"))
        )
    seed.run("2025-12", JONGNO, "dongheng", [Slip("J-001", 19), Slip("J-002", 22)])
    seed.run("2026-01", JONGNO, "dongheng", [Slip("J-001", 21), Slip("J-002", 20)])
    out = tmp_path / "ratio.csv"
    result = runner.invoke(
        app,
        ["ledger", "--from", "2025-12", "--to", "2026-01", "--format", "csv", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert {r["month"] for r in rows} == {"2025-12", "2026-01"}
    for r in rows:
        ratio = Decimal("0.9") if r["month"] == "2025-12" else Decimal("0.8")
        amount = int(r["amount"])
        assert int(r["city_share"]) == int((amount * ratio).to_integral_value(ROUND_FLOOR))
        assert int(r["district_share"]) == amount - int(r["city_share"])
    january_wages = next(r for r in rows if r["month"] == "2026-01" and r["cost_item"] == "wages")
    assert int(january_wages["district_share"]) > int(january_wages["amount"]) // 10 + 1


def test_unfinalized_runs_are_reported_and_stop_the_ledger(
    seed: Seeder, cli_env: str, tmp_path: Path
) -> None:
    seed_march(seed)
    seed.run("2025-03", JUNG, "maeryeok", [Slip("U-101", 21, "maeryeok")], state="approved")
    seed.run("2025-04", JONGNO, "dongheng", [Slip("J-001", 22)], state="calculated")
    out = tmp_path / "q.csv"
    args = ["ledger", "--from", "2025-03", "--to", "2025-04", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 3
    assert (
        "2025-03 11140 maeryeok: 급여 실행이 확정 전(승인됨, approved)이라 원장에 넣지 않았습니다"
        in result.stderr
    )
    assert "2025-04 11110 dongheng: 급여 실행이 확정 전(계산됨, calculated)이라" in result.stderr
    assert not out.exists()

    result = runner.invoke(app, [*args, "--allow-unfinalized"])
    assert result.exit_code == 0, result.output
    assert "확정 전(승인됨, approved)" in result.stderr
    rows = read_csv(out)
    assert {(r["month"], r["district"], r["program"]) for r in rows} == {
        ("2025-03", JONGNO, "dongheng"),
        ("2025-03", JONGNO, "maeryeok"),
        ("2025-03", JUNG, "dongheng"),
        ("2025-03", YONGSAN, "maeryeok"),
    }


def test_a_term_covers_its_programs_months_and_a_district_by_name(
    seed: Seeder, cli_env: str, tmp_path: Path
) -> None:
    seed.run("2025-01", JONGNO, "dongheng", [Slip("J-001", 15)])
    seed.run("2025-06", JONGNO, "dongheng", [Slip("J-001", 21)])
    seed.run("2025-07", JONGNO, "dongheng", [Slip("J-001", 21)])  # 2025-H2
    seed.run("2025-03", JONGNO, "maeryeok", [Slip("J-101", 21, "maeryeok")])  # other program
    seed.run("2025-03", JUNG, "dongheng", [Slip("U-001", 21)])  # other district
    out = tmp_path / "h1.csv"
    result = runner.invoke(
        app, ["ledger", "--term", "2025-H1", "--district", "종로구", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert sorted({(r["month"], r["district"], r["program"]) for r in rows}) == [
        ("2025-01", JONGNO, "dongheng"),
        ("2025-06", JONGNO, "dongheng"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2025-03", "--term", "2025-H1"], "exactly one of"),
        ([], "exactly one of"),
        (["--from", "2025-03"], "--from and --to go together"),
        (["--from", "2025-06", "--to", "2025-03"], "before --from"),
        (["--month", "2025-03", "--district", "해운대구"], "자치구 '해운대구'를 찾을 수 없습니다"),
        (["--term", "2031-H1"], "없는 기간 '2031-H1'"),
        (["--month", "2025-03", "--program", "nope"], "사업 'nope'을 찾을 수 없습니다"),
        (["--month", "2025-03", "--format", "pdf"], "--format 'pdf'"),
    ],
)
def test_invalid_scope_is_refused_with_exit_2(
    cli_env: str, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.csv"
    result = runner.invoke(app, ["ledger", *args, "--out", str(out)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()


def test_a_month_without_finalized_runs_has_nothing_to_reconcile(
    seed: Seeder, cli_env: str
) -> None:
    seed.run("2025-05", JONGNO, "dongheng", [Slip("J-001", 20)], state="approved")
    refused = runner.invoke(app, ["reconcile", "--month", "2025-05"])
    assert refused.exit_code == 3, refused.output
    assert "확정되지 않은 급여 실행 1건" in refused.stderr
    result = runner.invoke(app, ["reconcile", "--month", "2025-05", "--allow-unfinalized"])
    assert result.exit_code == 0, result.output
    assert "대사할 것이 없습니다" in result.stdout
    assert "2025-05 11110 dongheng: 급여 실행이 확정 전(승인됨" in result.stderr
