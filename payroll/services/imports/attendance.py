"""Attendance import (근태 예외 파일): exceptions only, all rows checked before any is written.

Columns (English, or the Korean aliases below): ``participant_id``, ``date``, ``status``
(worked | absent | annual_leave | official_leave, or 근무 · 결근 · 연차 · 공가), ``hours``
(for worked). A day with no row was worked for the full daily hours.

A later file for the same day replaces that day's record; importing the same file twice
changes nothing. Days of a finalized month are refused unless imported with
``--correction``, which stores them as corrections paid in the next run as
``retro_adjustment`` lines.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from payroll.domain.engine import validate_attendance
from payroll.domain.hours import parse_hours
from payroll.domain.model import AttendanceError, AttendanceRecord, Status
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.formats.tabular import RowError, TableRow, parse_date, read_table, reject
from payroll.services.common import audit
from payroll.services.enrollment.enroll import pay_enrollment
from payroll.services.runs import approval_guard
from payroll.services.unit_of_work import UnitOfWork

COLUMN_ALIASES = {
    "참여자번호": "participant_id",
    "참여자ID": "participant_id",
    "사번": "participant_id",
    "일자": "date",
    "날짜": "date",
    "근무일": "date",
    "근무일자": "date",
    "상태": "status",
    "구분": "status",
    "근태": "status",
    "근태구분": "status",
    "시간": "hours",
    "근로시간": "hours",
    "근무시간": "hours",
}
REQUIRED = ("participant_id", "date", "status")
STATUS_ALIASES = {
    "worked": Status.WORKED,
    "근무": Status.WORKED,
    "출근": Status.WORKED,
    "absent": Status.ABSENT,
    "결근": Status.ABSENT,
    "annual_leave": Status.ANNUAL_LEAVE,
    "연차": Status.ANNUAL_LEAVE,
    "연차휴가": Status.ANNUAL_LEAVE,
    "official_leave": Status.OFFICIAL_LEAVE,
    "공가": Status.OFFICIAL_LEAVE,
}


@dataclass
class AttendanceImportReport:
    """What an import did."""

    rows: int
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    correction: bool = False


@dataclass
class _Parsed:
    row: TableRow
    participant_id: str
    record: AttendanceRecord
    enrollment: EnrollmentRecord | None = None


@dataclass
class _Plan:
    errors: list[RowError] = field(default_factory=list)
    by_enrollment: dict[int, list[_Parsed]] = field(default_factory=lambda: defaultdict(list))


def import_attendance(
    uow: UnitOfWork, path: Path, correction: bool = False, actor: str = "system"
) -> AttendanceImportReport:
    """Validate every row, then write all of them in one transaction, or none."""
    rows = read_table(path, COLUMN_ALIASES, REQUIRED)
    with uow.serialized():  # two imports never validate at once
        plan = _plan(uow, rows, correction)
        if plan.errors:
            raise reject(path, plan.errors)
        report = _write(uow, plan, correction, str(path))
        audit.record(
            uow,
            actor,
            "attendance.imported",
            "file",
            path.name,
            rows=report.rows,
            added=report.added,
            replaced=report.replaced,
            unchanged=report.unchanged,
            correction=correction,
        )
        approval_guard.reopen_changed(uow, actor)  # attendance of an approved month
    if report.added or report.replaced:
        uow.refresh_statistics("attendance")
    return report


def plan_corrections(
    uow: UnitOfWork, path: Path
) -> tuple[list[RowError], dict[int, list[AttendanceRecord]]]:
    """A correction file checked as ``--correction`` would, writing nothing: its row errors,
    and the corrected days per enrollment (for a preview of what will be carried over)."""
    rows = read_table(path, COLUMN_ALIASES)
    with uow:
        plan = _plan(uow, rows, True)
    days = {e: [p.record for p in found] for e, found in plan.by_enrollment.items()}
    return plan.errors, days


def _parse(row: TableRow, errors: list[RowError]) -> _Parsed | None:
    before = len(errors)

    def bad(column: str, reason: str) -> None:
        errors.append(RowError(row.number, column, row.get(column, ""), reason))

    pid = row.get("participant_id", "")
    if not pid:
        bad("participant_id", "참여자번호가 비어 있습니다")
    day = None
    try:
        day = parse_date(row.get("date", ""))
    except ValueError as exc:
        bad("date", str(exc))
    status = STATUS_ALIASES.get(row.get("status", "").strip().lower())
    if status is None:
        bad(
            "status",
            "알 수 없는 근태입니다 (근무, 결근, 연차, 공가 중 하나)",
        )
    hours = None
    text = row.get("hours", "")
    if status is Status.WORKED:
        try:
            hours = parse_hours(text)
        except ValueError as exc:
            bad("hours", f"근무에는 근무한 시간이 필요합니다: {exc}")
    elif text and status is not None:
        bad("hours", "시간은 근무에만 적습니다")
    if len(errors) > before or day is None or status is None:
        return None
    return _Parsed(row, pid, AttendanceRecord(day, status, hours))


def _plan(uow: UnitOfWork, rows: list[TableRow], correction: bool) -> _Plan:
    plan = _Plan()
    parsed = [p for p in (_parse(r, plan.errors) for r in rows) if p is not None]
    ids = sorted({p.participant_id for p in parsed})
    uow.participants.lock(ids)  # before anything they are validated against is read
    enrollments: dict[str, list[EnrollmentRecord]] = defaultdict(list)
    people: dict[str, PersonRecord] = {}
    holders: dict[str, set[str]] = defaultdict(set)  # participant id → districts
    for e, person in uow.enrollments.roster_of(ids):
        enrollments[person.participant_id].append(e)
        people[person.participant_id] = person
        holders[person.participant_id].add(person.district_code)
    seen: dict[tuple[str, date], int] = {}
    for p in parsed:
        key = (p.participant_id, p.record.day)
        if key in seen:
            plan.errors.append(
                RowError(
                    p.row.number,
                    "date",
                    p.row["date"],
                    f"{seen[key]}행과 참여자·날짜가 같습니다",
                )
            )
            continue
        seen[key] = p.row.number
        if len(holders.get(p.participant_id, ())) > 1:  # participant IDs are per district
            plan.errors.append(
                RowError(
                    p.row.number,
                    "participant_id",
                    p.participant_id,
                    "여러 자치구가 같은 참여자번호를 씁니다; 근태 파일에는 자치구 열이 없어 "
                    "어느 참여자인지 알 수 없습니다 (시 관리자에게 문의하세요)",
                )
            )
            continue
        match = [
            e for e in enrollments.get(p.participant_id, []) if e.start <= p.record.day <= e.end
        ]
        if p.participant_id not in people:
            plan.errors.append(
                RowError(
                    p.row.number,
                    "participant_id",
                    p.participant_id,
                    "이 번호로 참여 중인 참여자가 없습니다",
                )
            )
        elif not match:
            plan.errors.append(
                RowError(
                    p.row.number,
                    "date",
                    p.row["date"],
                    f"참여자 {p.participant_id}은(는) 이 날짜에 참여 기간이 아닙니다",
                )
            )
        else:
            p.enrollment = match[0]
            plan.by_enrollment[match[0].id].append(p)
    if plan.by_enrollment:
        _check_rules(uow, plan, people, correction)
    return plan


def _check_rules(
    uow: UnitOfWork, plan: _Plan, people: dict[str, PersonRecord], correction: bool
) -> None:
    """§4 validation against the enrollment's whole attendance, and the finalized months."""
    catalog = uow.catalog.read()
    calendar = uow.catalog.holidays()
    ids = list(plan.by_enrollment)
    stored = uow.attendance.records_of(ids)
    stored_fixes = uow.attendance.records_of(ids, correction=True) if correction else {}
    finalized = uow.enrollments.finalized_months_of(ids)
    for enrollment_id, items in plan.by_enrollment.items():
        enrollment_row = items[0].enrollment
        assert enrollment_row is not None
        frozen = finalized[enrollment_id]
        kept = []
        for p in items:
            month = p.record.day.strftime("%Y-%m")
            if not correction and month in frozen:
                plan.errors.append(
                    RowError(
                        p.row.number,
                        "date",
                        p.row["date"],
                        f"{month}은(는) 확정된 달입니다. 화면의 '확정된 달 근태 정정'으로 "
                        "올리십시오 (명령줄: --correction)",
                    )
                )
            elif correction and month not in frozen:
                plan.errors.append(
                    RowError(
                        p.row.number,
                        "date",
                        p.row["date"],
                        f"{month}은(는) 확정되지 않은 달입니다. 정정이 아닌 보통 근태로 올리십시오",
                    )
                )
            else:
                kept.append(p)
        existing = stored[enrollment_id]
        if correction:
            fixes = {c.day: c for c in stored_fixes[enrollment_id]}
            existing = [fixes.pop(r.day, r) for r in existing] + list(fixes.values())
        enrollment = pay_enrollment(enrollment_row, people[items[0].participant_id])
        _validate(enrollment, existing, kept, catalog.rate_book, calendar, plan)


def _validate(enrollment, existing, items, rates, calendar, plan: _Plan) -> None:  # type: ignore[no-untyped-def]
    """Report every row §4 refuses, not only the first."""
    pending = list(items)
    while pending:
        incoming = {p.record.day: p for p in pending}
        merged = [r for r in existing if r.day not in incoming]
        merged += [p.record for p in pending]
        try:
            validate_attendance(enrollment, sorted(merged, key=lambda r: r.day), rates, calendar)
            return
        except AttendanceError as exc:
            culprit = incoming.get(exc.day)
            column = exc.field
            if culprit is None:  # an already stored record is the problem
                culprit, column = pending[0], "status"
                reason = f"저장된 근태와 맞지 않습니다: {exc}"
            else:
                reason = exc.reason
            plan.errors.append(
                RowError(culprit.row.number, column, culprit.row.get(column, ""), reason)
            )
            pending.remove(culprit)


def _write(uow: UnitOfWork, plan: _Plan, correction: bool, source: str) -> AttendanceImportReport:
    report = AttendanceImportReport(
        rows=sum(len(v) for v in plan.by_enrollment.values()), correction=correction
    )
    now = datetime.now(UTC)
    everything = uow.attendance.records_of(list(plan.by_enrollment), correction)
    changes: dict[int, list[AttendanceRecord]] = {}
    replaced: set[tuple[int, date]] = set()  # only these have a stored record to delete
    for enrollment_id, items in plan.by_enrollment.items():
        stored = {r.day: r for r in everything[enrollment_id]}
        changed = []
        for p in items:
            rec = p.record
            old = stored.get(rec.day)
            if old is not None and old.status == rec.status and _same_hours(old.hours, rec.hours):
                report.unchanged += 1
                continue
            if old is not None:
                report.replaced += 1
                replaced.add((enrollment_id, rec.day))
            else:
                report.added += 1
            changed.append(rec)
        if changed:
            changes[enrollment_id] = changed
    uow.attendance.replace_all(changes, correction, source, now, replaced)  # one batch
    uow.flush()
    return report


def _same_hours(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)
