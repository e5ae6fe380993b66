"""History import (과거 참여 이력), all or nothing.

``payroll import history FILE`` — past enrollments from before the system: columns
``participant_id`` (참여자번호), ``program`` (사업/사업명), ``start`` (시작일), ``end``
(종료일). Rows are errors for an unknown participant or program, a bad date, end before
start, or dates overlapping another enrollment of the participant (stored or in the file).
An end after today is a row error too (a past enrollment has ended).
Stored with ``source = "history"`` and the term code of :func:`term_code_of`; limit rules are
not applied to the past. An identical stored enrollment is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from payroll.domain.limits import Candidate, PastEnrollment, check_enrollment
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.formats.tabular import parse_date, read_table, reject
from payroll.services import audit
from payroll.services.enrollment import (
    ROSTER_LOCK,
    LimitContext,
    default_actor,
    enrollments_of,
    explain,
    history_term_code,
    label_of,
    load_context,
    past_of,
    resolve_program,
    same_start,
)
from payroll.services.imports.common import (
    ROSTER_ALIASES,
    RowErrors,
    clear_stale_errors,
    ignored_columns,
    missing_columns,
    parse_cell,
    participant_id,
)
from payroll.services.unit_of_work import UnitOfWork

HISTORY_REQUIRED = ("participant_id", "program", "start", "end")
HISTORY_ALIASES: dict[str, str] = {k: v for k, v in ROSTER_ALIASES.items() if v in HISTORY_REQUIRED}

_New = tuple[int, PersonRecord, str, date, date]  # row, participant, program, start, end


@dataclass(frozen=True)
class HistoryReport:
    """What ``payroll import history`` did."""

    added: int
    unchanged: int
    ignored_columns: tuple[str, ...] = ()


def _overlapping(start: date, end: date, others: Sequence[tuple[str, date, date]]) -> str | None:
    for label, s, e in others:
        if start <= e and s <= end:
            return label
    return None


def _recheck_enrollments(
    ctx: LimitContext,
    new: Sequence[_New],
    existing: Mapping[int, Sequence[EnrollmentRecord]],
    errors: RowErrors,
) -> None:
    """History imported after a roster must not make a stored enrollment break a limit.

    Each roster enrollment (not overridden) of a participant who gains history is checked
    again against all of their enrollments, old and new; a limit it would now break is a
    row error on that participant's first new history row.
    """
    by_person: dict[int, list[_New]] = {}
    for item in new:
        by_person.setdefault(item[1].id, []).append(item)
    for pk, items in by_person.items():
        person = items[0][1]
        added = [
            PastEnrollment(f"row {n}", person.participant_id, program, start, end, person.household)
            for n, _p, program, start, end in items
        ]
        rows = existing[pk]
        for current in rows:
            if current.source != "roster" or current.override_reason:
                continue
            history = [past_of(r, person) for r in rows if r.id != current.id] + added
            candidate = Candidate(
                person.participant_id,
                current.program_code,
                current.start,
                current.end,
                person.birth_date,
                person.household,
            )
            broken = [
                v
                for v in check_enrollment(candidate, history, ctx.rules, ctx.terms)
                if v.action != "pay_cut"
            ]
            if broken:
                first = items[0]
                reasons = "; ".join(explain(v, {}) for v in broken)
                errors.add(
                    first[0],
                    "participant_id",
                    person.participant_id,
                    f"would make enrollment {label_of(current)} break a limit: {reasons}",
                )


def import_history(
    uow: UnitOfWork, path: Path, actor: str | None = None, today: date | None = None
) -> HistoryReport:
    """Import past enrollments all or nothing (see the module docstring).

    A past enrollment has ended: one whose end is after ``today`` (default: the real date)
    is a row error; an enrollment still running belongs in the roster.
    """
    today = today or date.today()
    rows = read_table(path, HISTORY_ALIASES, HISTORY_REQUIRED)
    actor = actor or default_actor()
    errors = RowErrors()
    missing_columns(rows, HISTORY_REQUIRED, errors)
    if errors:
        raise reject(path, errors)
    with uow.serialized(ROSTER_LOCK):
        ctx = load_context(uow)
        stored = uow.participants.by_ids(r["participant_id"] for r in rows)
        existing = enrollments_of(uow, [p.id for p in stored.values()])
        taken: dict[str, list[tuple[str, date, date]]] = {
            pid: [(label_of(r), r.start, r.end) for r in existing[p.id]]
            for pid, p in stored.items()
        }
        new: list[_New] = []
        unchanged = 0
        for cells in rows:
            n = cells.number
            before = len(errors)
            pid = participant_id(cells, errors)
            person = stored.get(pid)
            if pid and person is None:
                errors.add(
                    n, "participant_id", pid, "unknown participant (import the roster first)"
                )
            for column in ("program", "start", "end"):
                if not cells.get(column):
                    errors.add(n, column, "", "required")
            program = parse_cell(cells, "program", lambda v: resolve_program(ctx, v), errors)
            start = parse_cell(cells, "start", parse_date, errors)
            end = parse_cell(cells, "end", parse_date, errors)
            if start and end and end < start:
                errors.add(n, "end", cells["end"], f"before start {start.isoformat()}")
            if end and end > today:
                errors.add(
                    n,
                    "end",
                    cells["end"],
                    f"과거 이력의 종료일이 오늘({today.isoformat()}) 이후입니다; "
                    "진행 중인 참여는 명부(import participants)로 가져오세요",
                )
            if len(errors) > before or person is None:
                continue
            same = same_start(existing[person.id], program, start)
            if same is not None and same.end == end:
                unchanged += 1
                continue
            clash = _overlapping(start, end, taken[pid])
            if clash:
                errors.add(n, "start", cells["start"], f"{clash}와(과) 기간이 겹칩니다")
                continue
            code = history_term_code(ctx, program, start, end)
            taken[pid].append((f"{n}행 {program} {code} {start}..{end}", start, end))
            new.append((n, person, program, start, end))
        _recheck_enrollments(ctx, new, existing, errors)
        if errors:
            raise reject(path, errors)
        for n, person, program, start, end in new:
            row = EnrollmentRecord(
                id=0,
                participant_pk=person.id,
                program_code=program,
                term_code=history_term_code(ctx, program, start, end),
                start=start,
                end=end,
                source="history",
            )
            audit.record(
                uow,
                actor,
                "enrollment.add_history",
                "enrollment",
                uow.enrollments.add(row),
                participant_id=person.participant_id,
                program=program,
                term=row.term_code,
                start=start,
                end=end,
                file=path.name,
                row=n,
            )
    clear_stale_errors(path)
    return HistoryReport(len(new), unchanged, ignored_columns(rows, frozenset(HISTORY_REQUIRED)))
