"""The month's filings read from finalized payroll data (the pure builders are in
``payroll.reports``).

Every filing refuses while a run it depends on is calculated or approved (not finalized),
naming those runs. Resident registration numbers are read in full (decrypted with
``PAYROLL_RRN_KEY``) or masked, as the caller asks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session

from payroll import rrn as rrn_codec
from payroll.db.catalog_store import read_catalog
from payroll.db.engine import transaction
from payroll.db.models import (
    District,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
    ProgramRow,
)
from payroll.domain.calendar import month_range
from payroll.domain.model import PayrollError, RateBook
from payroll.reports import insurance, simple_statement, transfer, withholding
from payroll.reports.sheet import Sheet
from payroll.services import filing_sources as sources
from payroll.services.ledger import check_month, resolve_district
from payroll.services.runs import find_run

OPEN_STATES = ("calculated", "approved")
STATE_LABELS = {"calculated": "계산됨", "approved": "승인됨", "missing": "계산 안 됨"}


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


def _names(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    districts = {c: n for c, n in session.execute(select(District.code, District.name))}
    programs = {c: n for c, n in session.execute(select(ProgramRow.code, ProgramRow.name))}
    return districts, programs


def _run_label(run: PayrollRun, districts: dict[str, str], programs: dict[str, str]) -> str:
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
        districts, programs = _names(session)
        listed = ", ".join(_run_label(r, districts, programs) for r in open_runs)
        raise OpenRunsError(
            f"확정(finalize)되지 않은 급여가 있어 만들 수 없습니다: {listed}. "
            "확정한 뒤 다시 실행하세요 (payroll run finalize)"
        )
    return [r for r in runs if r.state == "finalized"]


def _rrn(person: Participant, full: bool) -> str:
    if not full:
        return person.rrn_masked or ""
    return rrn_codec.decrypt(person.rrn_encrypted) if person.rrn_encrypted else ""


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


@dataclass(frozen=True)
class _Slip:
    slip: PayslipRow
    run: PayrollRun
    enrollment: EnrollmentRow
    person: Participant
    deductions: dict[str, int]


def _slips(session: Session, runs: Sequence[PayrollRun]) -> list[_Slip]:
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
    return [_Slip(s, by_id[s.run_id], e, p, sums[s.id]) for s, e, p in rows]


def _year_totals(
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
                PayrollRun.state == "finalized",
                PayslipRow.month >= first,
                PayslipRow.month <= last,
                EnrollmentRow.participant_pk.in_(wanted[i : i + 900]),
            )
            .group_by(EnrollmentRow.participant_pk)
        )
        out.update({pk: (int(total), int(months)) for pk, total, months in session.execute(query)})
    return out


# --- 원천징수이행상황신고서 -----------------------------------------------------------------


def withholding_return(engine: Engine, month: str, district: str | None = None) -> Filing:
    """The month's withholding return per district (A01, A02, A10) and its local-tax return."""
    check_month(month)
    with transaction(engine) as session:
        code = resolve_district(session, district) if district else None
        runs = refuse_open_runs(session, [month], code)
        if not runs:
            raise FilingError(f"{month}: 확정된 급여가 없습니다")
        districts, _ = _names(session)
        slips = _slips(session, runs)
        settled = [s for s in slips if s.enrollment.end.strftime("%Y-%m") == month]
        settled_ids = {s.slip.id for s in settled}
        ytd = _year_totals(
            session, (s.person.id for s in settled), f"{month[:4]}-01", month, "taxable"
        )
        tax_slips = [
            withholding.TaxSlip(
                district=districts[s.run.district_code],
                participant_id=s.person.participant_id,
                name=s.person.name,
                taxable=s.slip.taxable,
                non_taxable=s.slip.non_taxable,
                income_tax=s.deductions.get("income_tax", 0),
                local_tax=s.deductions.get("local_income_tax", 0),
                settled=s.slip.id in settled_ids,
                year_taxable=ytd.get(s.person.id, (0, 0))[0] if s.slip.id in settled_ids else 0,
                income_settlement=s.deductions.get(sources.SETTLEMENT_CODES["income_tax"], 0),
                local_settlement=s.deductions.get(sources.SETTLEMENT_CODES["local_income_tax"], 0),
            )
            for s in slips
        ]
    where = f"-{districts[code]}" if code else ""
    return Filing(
        "withholding",
        f"{month}{where}",
        withholding.sheets(tax_slips, month, _next_month(month)),
        len({(t.district, t.participant_id) for t in tax_slips}),
        "none",
        csv_ok=False,
        default_name=f"withholding-{month}{where}.xlsx",
    )


# --- 간이지급명세서 ------------------------------------------------------------------------


def period_months(month: str | None, half: str | None) -> tuple[str, list[str], date, date]:
    """(label, months, first day, last day) of ``--month 2025-03`` or ``--half 2025-H1``."""
    if bool(month) == bool(half):
        raise FilingError(
            "--month 또는 --half 중 하나만 주세요 (예: --month 2025-03, --half 2025-H1)"
        )
    if month:
        check_month(month)
        first, last = month_range(month)
        return f"{int(month[5:])}월", [month], first, last
    found = re.fullmatch(r"(\d{4})-?H([12])", (half or "").strip(), re.IGNORECASE)
    if not found:
        raise FilingError(f"--half {half!r}: 2025-H1(상반기) 또는 2025-H2(하반기) 형식으로 주세요")
    year, part = int(found[1]), int(found[2])
    months = [f"{year:04d}-{m:02d}" for m in range(1 + 6 * (part - 1), 7 + 6 * (part - 1))]
    first, _ = month_range(months[0])
    _, last = month_range(months[-1])
    return ("상반기" if part == 1 else "하반기"), months, first, last


def simple_statement_filing(
    engine: Engine, month: str | None = None, half: str | None = None, full_rrn: bool = True
) -> Filing:
    label, months, first, last = period_months(month, half)
    with transaction(engine) as session:
        runs = refuse_open_runs(session, months)
        if not runs:
            raise FilingError(f"{months[0]}..{months[-1]}: 확정된 급여가 없습니다")
        districts, _ = _names(session)
        slips = [
            simple_statement.PaySlip(
                districts[s.run.district_code],
                s.person.participant_id,
                s.person.name,
                _rrn(s.person, full_rrn),
                s.enrollment.start,
                s.enrollment.end,
                s.slip.taxable,
                s.slip.non_taxable,
            )
            for s in _slips(session, runs)
        ]
    scope = month or (half or "").upper()
    sheet = simple_statement.sheet(slips, first.year, label, first, last)
    return Filing(
        "simple-statement",
        scope,
        [sheet],
        len(sheet.rows),
        "full" if full_rrn else "masked",
        csv_ok=True,
        default_name=f"simple-statement-{scope}.xlsx",
    )


# --- 4대보험 취득·상실 ---------------------------------------------------------------------


def _months_between(first: date, last: date) -> list[str]:
    if last < first:
        raise FilingError(f"--to {last} 이 --from {first} 보다 앞입니다")
    months, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _enrolled(
    row: EnrollmentRow,
    person: Participant,
    names: tuple[dict[str, str], dict[str, str]],
    rates: RateBook,
    full_rrn: bool,
) -> insurance.Enrolled:
    districts, programs = names
    schedule = sources.schedule(row, person, rates)
    program = programs.get(row.program_code, row.program_code)
    return insurance.Enrolled(
        district=districts[person.district_code],
        participant_id=person.participant_id,
        name=person.name,
        rrn=_rrn(person, full_rrn),
        birth_date=person.birth_date,
        program=program,
        job=f"{program} 참여자",
        start=row.start,
        end=row.end,
        weekly_hours=schedule.weekly_hours,
        declared_pay=sources.declared_monthly_pay(row, person, rates),
    )


def _enrollments(session: Session, column: object, first: date, last: date) -> list:
    return list(
        session.execute(
            select(EnrollmentRow, Participant)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(EnrollmentRow.source == "roster", column >= first, column <= last)  # type: ignore[operator]
            .order_by(Participant.participant_id)
        ).all()
    )


def acquisitions_filing(engine: Engine, first: date, last: date, full_rrn: bool = True) -> Filing:
    """Enrollments starting ``first``..``last``: the 취득 report."""
    months = _months_between(first, last)
    with transaction(engine) as session:
        refuse_open_runs(session, months)
        names = _names(session)
        rates = read_catalog(session).rate_book
        rows = [
            _enrolled(e, p, names, rates, full_rrn)
            for e, p in _enrollments(session, EnrollmentRow.start, first, last)
        ]
    sheet = insurance.acquisition_sheet(rows)
    return _insurance_filing("insurance-acquisitions", first, last, sheet, full_rrn)


def _insurance_filing(kind: str, first: date, last: date, sheet: Sheet, full_rrn: bool) -> Filing:
    return Filing(
        kind,
        f"{first}..{last}",
        [sheet],
        len(sheet.rows),
        "full" if full_rrn else "masked",
        csv_ok=False,
        default_name=f"{kind}-{first}-{last}.xlsx",
    )


def losses_filing(engine: Engine, first: date, last: date, full_rrn: bool = True) -> Filing:
    """Enrollments ending ``first``..``last``: the 상실 report with the year's pay totals.

    Every final month must be finalized: the totals include it.
    """
    months = _months_between(first, last)
    with transaction(engine) as session:
        names = _names(session)
        districts, programs = names
        ended = _enrollments(session, EnrollmentRow.end, first, last)
        years = {e.end.year for e, _p in ended} | {first.year}
        runs = refuse_open_runs(
            session, [m for y in years for m in _months_between(date(y, 1, 1), last)] + months
        )
        finalized = {(r.month, r.district_code, r.program_code) for r in runs}
        missing = sorted(
            {
                f"{e.end:%Y-%m} {districts[p.district_code]} {programs.get(e.program_code)}"
                for e, p in ended
                if (e.end.strftime("%Y-%m"), p.district_code, e.program_code) not in finalized
            }
        )
        if missing:
            raise OpenRunsError(
                "마지막 달 급여가 확정되지 않아 보수총액을 낼 수 없습니다: " + ", ".join(missing)
            )
        rates = read_catalog(session).rate_book
        out = []
        for last_month in sorted({e.end.strftime("%Y-%m") for e, _p in ended}):
            # the loss year's pay up to the final month (a later enrollment is not in it)
            mine = [(e, p) for e, p in ended if e.end.strftime("%Y-%m") == last_month]
            pks = [p.id for _e, p in mine]
            year = int(last_month[:4])
            this = _year_totals(session, pks, f"{year}-01", last_month, "insurable")
            before = _year_totals(session, pks, f"{year - 1}-01", f"{year - 1}-12", "insurable")
            for e, p in mine:
                end = sources.end_facts(e)
                out.append(
                    insurance.Ended(
                        _enrolled(e, p, names, rates, full_rrn),
                        end.reason,
                        end.note,
                        *this.get(p.id, (0, 0)),
                        *before.get(p.id, (0, 0)),
                    )
                )
    return _insurance_filing("insurance-losses", first, last, insurance.loss_sheet(out), full_rrn)


# --- 대량이체 · e-호조 -----------------------------------------------------------------------


def _run_payments(
    engine: Engine, ref: str, full_rrn: bool
) -> tuple[PayrollRun, str, str, list[transfer.Payment]]:
    with transaction(engine) as session:
        run = find_run(session, ref)
        districts, programs = _names(session)
        if run.state != "finalized":
            raise OpenRunsError(
                f"{_run_label(run, districts, programs)}: 확정(finalize)된 급여만 "
                "이체·지급 자료로 씁니다"
            )
        payments = []
        for s in _slips(session, [run]):
            to = sources.payee(s.person)
            payments.append(
                transfer.Payment(
                    s.person.participant_id,
                    s.person.name,
                    _rrn(s.person, full_rrn),
                    to.bank_code,
                    to.bank_name,
                    to.account,
                    to.holder,
                    s.slip.net,
                )
            )
        return run, districts[run.district_code], programs[run.program_code], payments


def bank_transfer_filing(engine: Engine, ref: str) -> Filing:
    run, district, program, payments = _run_payments(engine, ref, full_rrn=False)
    sheet = transfer.transfer_sheet(payments, transfer.memo(district, program, run.month))
    return Filing(
        "bank-transfer",
        f"run {run.id} {run.month} {district} {program}",
        [sheet],
        len(sheet.rows),
        "none",
        csv_ok=True,
        default_name=f"bank-transfer-{run.month}-{run.district_code}-{run.program_code}.xlsx",
    )


def payees_filing(
    engine: Engine, ref: str, full_rrn: bool = True, department: str | None = None
) -> Filing:
    run, district, program, payments = _run_payments(engine, ref, full_rrn)
    sheet = transfer.payee_sheet(payments, district, department or program)
    return Filing(
        "payees",
        f"run {run.id} {run.month} {district} {program}",
        [sheet],
        len(sheet.rows),
        "full" if full_rrn else "masked",
        csv_ok=False,
        default_name=f"payees-{run.month}-{run.district_code}-{run.program_code}.xlsx",
    )
