"""What every filing reads: finalized runs (refusing open ones), their payslips with the
deduction lines summed, year totals, names, resident numbers in full or masked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from payroll.db.models import (
    District,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
    ProgramRow,
)
from payroll.domain.model import PayrollError
from payroll.domain.runs import RunState
from payroll.formats.reports.sheet import Sheet
from payroll.privacy import rrn as rrn_codec

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


def names(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    districts = {c: n for c, n in session.execute(select(District.code, District.name))}
    programs = {c: n for c, n in session.execute(select(ProgramRow.code, ProgramRow.name))}
    return districts, programs


def run_label(run: PayrollRun, districts: dict[str, str], programs: dict[str, str]) -> str:
    return (
        f"{run.month} {districts.get(run.district_code, run.district_code)} "
        f"{programs.get(run.program_code, run.program_code)} (run {run.id}, "
        f"{STATE_LABELS.get(run.state, run.state)})"
    )


def refuse_open_runs(
    session: Session, months: Iterable[str], district: str | None = None
) -> list[PayrollRun]:
    """The finalized runs of ``months``; a FilingError naming any run not finalized yet."""
    query = select(PayrollRun).where(PayrollRun.month.in_(sorted(set(months))))
    if district:
        query = query.where(PayrollRun.district_code == district)
    runs = list(session.scalars(query.order_by(PayrollRun.month, PayrollRun.district_code)))
    open_runs = [r for r in runs if r.state in OPEN_STATES]
    if open_runs:
        districts, programs = names(session)
        listed = ", ".join(run_label(r, districts, programs) for r in open_runs)
        raise OpenRunsError(
            f"확정(finalize)되지 않은 급여가 있어 만들 수 없습니다: {listed}. "
            "확정한 뒤 다시 실행하세요 (payroll run finalize)"
        )
    return [r for r in runs if r.state == RunState.FINALIZED]


def rrn_of(person: Participant, full: bool) -> str:
    if not full:
        return person.rrn_masked or ""
    return rrn_codec.decrypt(person.rrn_encrypted) if person.rrn_encrypted else ""


@dataclass(frozen=True)
class SlipRecord:
    slip: PayslipRow
    run: PayrollRun
    enrollment: EnrollmentRow
    person: Participant
    deductions: dict[str, int]


def finalized_slips(session: Session, runs: Sequence[PayrollRun]) -> list[SlipRecord]:
    """The payslips of ``runs`` with their deduction lines summed by code."""
    by_id = {r.id: r for r in runs}
    rows = session.execute(
        select(PayslipRow, EnrollmentRow, Participant)
        .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
        .join(Participant, Participant.id == EnrollmentRow.participant_pk)
        .where(PayslipRow.run_id.in_(list(by_id)))
        .order_by(Participant.participant_id, PayslipRow.month)
    ).all()
    sums: dict[int, dict[str, int]] = defaultdict(dict)
    ids = [slip.id for slip, _e, _p in rows]
    for i in range(0, len(ids), 900):
        for pid, code, amount in session.execute(
            select(PayslipLineRow.payslip_id, PayslipLineRow.code, func.sum(PayslipLineRow.amount))
            .where(
                PayslipLineRow.payslip_id.in_(ids[i : i + 900]), PayslipLineRow.kind == "deduction"
            )
            .group_by(PayslipLineRow.payslip_id, PayslipLineRow.code)
        ):
            sums[pid][code] = int(amount)
    return [SlipRecord(s, by_id[s.run_id], e, p, sums[s.id]) for s, e, p in rows]


def settled_pay(record: SlipRecord, ytd: dict[int, tuple[int, int]]) -> int:
    """A02's 총지급액: the G (총급여) the final month's settlement used (§13), which also
    counts months before the first run; slips stored before it was kept: the year's
    finalized taxable pay."""
    stored = (record.slip.facts or {}).get("settlement_total_pay")
    return int(stored) if stored is not None else ytd.get(record.person.id, (0, 0))[0]


def year_totals(
    session: Session, participants: Iterable[int], first: str, last: str, column: str
) -> dict[int, tuple[int, int]]:
    """(sum of ``column``, months) of each participant's finalized payslips first..last."""
    wanted = sorted(set(participants))
    value = getattr(PayslipRow, column)
    out: dict[int, tuple[int, int]] = {}
    for i in range(0, len(wanted), 900):
        query = (
            select(
                EnrollmentRow.participant_pk,
                func.coalesce(func.sum(value), 0),
                func.count(func.distinct(PayslipRow.month)),
            )
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(PayrollRun, and_(PayrollRun.id == PayslipRow.run_id))
            .where(
                PayrollRun.state == RunState.FINALIZED,
                PayslipRow.month >= first,
                PayslipRow.month <= last,
                EnrollmentRow.participant_pk.in_(wanted[i : i + 900]),
            )
            .group_by(EnrollmentRow.participant_pk)
        )
        out.update({pk: (int(total), int(months)) for pk, total, months in session.execute(query)})
    return out
