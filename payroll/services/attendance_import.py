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

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from payroll.db.catalog_store import holiday_calendar, read_catalog
from payroll.db.models import AttendanceCorrection, AttendanceRow, EnrollmentRow, Participant
from payroll.db.serial import lock_participants, serial_transaction
from payroll.db.stores.run_rows import domain_enrollment, to_record
from payroll.db.uow import joined_unit_of_work
from payroll.domain.engine import validate_attendance
from payroll.domain.hours import parse_hours
from payroll.domain.model import AttendanceError, AttendanceRecord, Status
from payroll.formats.tabular import RowError, TableRow, parse_date, read_table, reject
from payroll.services import audit
from payroll.services.run_inputs import finalized_months

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
    enrollment: EnrollmentRow | None = None


@dataclass
class _Plan:
    errors: list[RowError] = field(default_factory=list)
    by_enrollment: dict[int, list[_Parsed]] = field(default_factory=lambda: defaultdict(list))


def import_attendance(
    engine: Engine, path: Path, correction: bool = False, actor: str = "system"
) -> AttendanceImportReport:
    """Validate every row, then write all of them in one transaction, or none."""
    rows = read_table(path, COLUMN_ALIASES)
    with serial_transaction(engine) as session:  # two imports never validate at once
        plan = _plan(session, rows, correction)
        if plan.errors:
            raise reject(path, plan.errors)
        report = _write(session, plan, correction, str(path))
        audit.record(
            session,
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
        return report


def _parse(row: TableRow, errors: list[RowError]) -> _Parsed | None:
    before = len(errors)

    def bad(column: str, reason: str) -> None:
        errors.append(RowError(row.number, column, row.get(column, ""), reason))

    pid = row.get("participant_id", "")
    if not pid:
        bad("participant_id", "missing")
    day = None
    try:
        day = parse_date(row.get("date", ""))
    except ValueError as exc:
        bad("date", str(exc))
    status = STATUS_ALIASES.get(row.get("status", "").strip().lower())
    if status is None:
        bad(
            "status",
            "unknown status (worked, absent, annual_leave, official_leave; 근무, 결근, 연차, 공가)",
        )
    hours = None
    text = row.get("hours", "")
    if status is Status.WORKED:
        try:
            hours = parse_hours(text)
        except ValueError as exc:
            bad("hours", f"근무(worked)에는 근무한 시간이 필요합니다: {exc}")
    elif text and status is not None:
        bad("hours", f"hours are only for worked, not {status.value}")
    if len(errors) > before or day is None or status is None:
        return None
    return _Parsed(row, pid, AttendanceRecord(day, status, hours))


def _plan(session: Session, rows: list[TableRow], correction: bool) -> _Plan:
    plan = _Plan()
    parsed = [p for p in (_parse(r, plan.errors) for r in rows) if p is not None]
    ids = sorted({p.participant_id for p in parsed})
    lock_participants(session, ids)  # before anything they are validated against is read
    enrollments: dict[str, list[EnrollmentRow]] = defaultdict(list)
    people: dict[str, Participant] = {}
    for start in range(0, len(ids), 1000):  # PostgreSQL takes at most 65,535 parameters
        for e, person in session.execute(
            select(EnrollmentRow, Participant)
            .join(Participant)
            .where(
                Participant.participant_id.in_(ids[start : start + 1000]),
                EnrollmentRow.source == "roster",
            )
        ):
            enrollments[person.participant_id].append(e)
            people[person.participant_id] = person
    seen: dict[tuple[str, date], int] = {}
    for p in parsed:
        key = (p.participant_id, p.record.day)
        if key in seen:
            plan.errors.append(
                RowError(
                    p.row.number,
                    "date",
                    p.row["date"],
                    f"same participant and date as row {seen[key]}",
                )
            )
            continue
        seen[key] = p.row.number
        match = [
            e for e in enrollments.get(p.participant_id, []) if e.start <= p.record.day <= e.end
        ]
        if p.participant_id not in people:
            plan.errors.append(
                RowError(
                    p.row.number,
                    "participant_id",
                    p.participant_id,
                    "no enrolled participant with this id",
                )
            )
        elif not match:
            plan.errors.append(
                RowError(
                    p.row.number,
                    "date",
                    p.row["date"],
                    f"participant {p.participant_id} has no enrollment on this date",
                )
            )
        else:
            p.enrollment = match[0]
            plan.by_enrollment[match[0].id].append(p)
    if plan.by_enrollment:
        _check_rules(session, plan, people, correction)
    return plan


def _check_rules(
    session: Session, plan: _Plan, people: dict[str, Participant], correction: bool
) -> None:
    """§4 validation against the enrollment's whole attendance, and the finalized months."""
    catalog = read_catalog(session)
    calendar = holiday_calendar(session)
    for enrollment_id, items in plan.by_enrollment.items():
        enrollment_row = items[0].enrollment
        assert enrollment_row is not None
        frozen = finalized_months(joined_unit_of_work(session), enrollment_id)
        kept = []
        for p in items:
            month = p.record.day.strftime("%Y-%m")
            if not correction and month in frozen:
                plan.errors.append(
                    RowError(
                        p.row.number,
                        "date",
                        p.row["date"],
                        f"{month} is finalized; import corrections with --correction",
                    )
                )
            elif correction and month not in frozen:
                plan.errors.append(
                    RowError(
                        p.row.number,
                        "date",
                        p.row["date"],
                        f"{month} is not finalized; import it without --correction",
                    )
                )
            else:
                kept.append(p)
        existing = [
            to_record(r)
            for r in session.scalars(
                select(AttendanceRow).where(AttendanceRow.enrollment_id == enrollment_id)
            )
        ]
        if correction:
            fixes = {
                c.day: to_record(c)
                for c in session.scalars(
                    select(AttendanceCorrection).where(
                        AttendanceCorrection.enrollment_id == enrollment_id
                    )
                )
            }
            existing = [fixes.pop(r.day, r) for r in existing] + list(fixes.values())
        enrollment = domain_enrollment(enrollment_row, people[items[0].participant_id])
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
                reason = f"stored attendance conflicts: {exc}"
            else:
                reason = exc.reason
            plan.errors.append(
                RowError(culprit.row.number, column, culprit.row.get(column, ""), reason)
            )
            pending.remove(culprit)


def _write(session: Session, plan: _Plan, correction: bool, source: str) -> AttendanceImportReport:
    model = AttendanceCorrection if correction else AttendanceRow
    report = AttendanceImportReport(
        rows=sum(len(v) for v in plan.by_enrollment.values()), correction=correction
    )
    now = datetime.now(UTC)
    for enrollment_id, items in plan.by_enrollment.items():
        stored = {
            r.day: r
            for r in session.scalars(select(model).where(model.enrollment_id == enrollment_id))
        }
        for p in items:
            rec = p.record
            old = stored.get(rec.day)
            if (
                old is not None
                and old.status == rec.status.value
                and _same_hours(old.hours, rec.hours)
            ):
                report.unchanged += 1
                continue
            if old is not None:
                session.delete(old)
                session.flush()
                report.replaced += 1
            else:
                report.added += 1
            session.add(
                model(
                    enrollment_id=enrollment_id,
                    day=rec.day,
                    status=rec.status.value,
                    hours=rec.hours,
                    source=source,
                    recorded_at=now,
                )
            )
    session.flush()
    return report


def _same_hours(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)
