"""What every filing reads: finalized runs (refusing open ones), their payslips with the
deduction lines summed, year totals, names, resident numbers in full or masked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from payroll.domain.model import PayrollError
from payroll.domain.report_records import (
    EnrollmentRecord,
    PayslipRecord,
    PersonRecord,
    RunRecord,
)
from payroll.domain.runs import RunState
from payroll.formats.reports.sheet import Sheet
from payroll.privacy import rrn as rrn_codec
from payroll.services.unit_of_work import UnitOfWork

OPEN_STATES = (RunState.CALCULATED, RunState.APPROVED)
STATE_LABELS = {str(state): state.korean for state in OPEN_STATES}


class FilingError(PayrollError):
    """A filing that cannot be made now (the message says why and what to do)."""


class OpenRunsError(FilingError):
    """Runs the filing depends on are not finalized yet (the message names them)."""


@dataclass(frozen=True)
class Filing:
    """A built filing: its tables, how many people it names, whether RRNs are in full."""

    kind: str
    scope: str
    sheets: list[Sheet]
    people: int
    rrn: str  # "full", "masked" or "none"
    csv_ok: bool  # the receiving system takes CSV (the first sheet)
    default_name: str


# --- shared ----------------------------------------------------------------------------


def names(uow: UnitOfWork) -> tuple[dict[str, str], dict[str, str]]:
    """(district code → name, program code → name)."""
    with uow:
        return uow.names.districts(), uow.names.programs()


def run_label(run: RunRecord, districts: Mapping[str, str], programs: Mapping[str, str]) -> str:
    return (
        f"{run.month} {districts.get(run.district_code, run.district_code)} "
        f"{programs.get(run.program_code, run.program_code)} (run {run.id}, "
        f"{STATE_LABELS.get(run.state, run.state)})"
    )


def refuse_open_runs(
    uow: UnitOfWork, months: Iterable[str], district: str | None = None
) -> list[RunRecord]:
    """The finalized runs of ``months``; a FilingError naming any run not finalized yet."""
    with uow:
        runs = uow.filings.runs_of(months, district)
        open_runs = [r for r in runs if r.state in OPEN_STATES]
        if open_runs:
            districts, programs = names(uow)
            listed = ", ".join(run_label(r, districts, programs) for r in open_runs)
            raise OpenRunsError(
                f"확정(finalize)되지 않은 급여가 있어 만들 수 없습니다: {listed}. "
                "확정한 뒤 다시 실행하세요 (payroll run finalize)"
            )
    return [r for r in runs if r.state == RunState.FINALIZED]


def rrn_of(person: PersonRecord, full: bool) -> str:
    if not full:
        return person.rrn_masked or ""
    return rrn_codec.decrypt(person.rrn_encrypted) if person.rrn_encrypted else ""


@dataclass(frozen=True)
class SlipRecord:
    slip: PayslipRecord
    run: RunRecord
    enrollment: EnrollmentRecord
    person: PersonRecord
    deductions: dict[str, int]


def finalized_slips(uow: UnitOfWork, runs: Sequence[RunRecord]) -> list[SlipRecord]:
    """The payslips of ``runs`` with their deduction lines summed by code."""
    with uow:
        found = uow.filings.payslips_of([r.id for r in runs])
        sums = uow.filings.deduction_sums([f.slip.id for f in found])
    return [
        SlipRecord(f.slip, f.run, f.enrollment, f.person, dict(sums.get(f.slip.id, {})))
        for f in found
    ]


def settled_pay(record: SlipRecord, ytd: dict[int, tuple[int, int]]) -> int:
    """A02's 총지급액: the G (총급여) the final month's settlement used (§13), which also
    counts months before the first run; slips stored before it was kept: the year's
    finalized taxable pay."""
    stored = (record.slip.facts or {}).get("settlement_total_pay")
    return int(stored) if stored is not None else ytd.get(record.person.id, (0, 0))[0]


def year_totals(
    uow: UnitOfWork, participants: Iterable[int], first: str, last: str, column: str
) -> dict[int, tuple[int, int]]:
    """(sum of ``column``, months) of each participant's finalized payslips first..last."""
    with uow:
        return uow.filings.year_totals(participants, first, last, column)  # type: ignore[arg-type]
